/**
 * A fast evaluator over formulon's syntax tree for the formula functions our metadata uses
 * (logic, comparisons, arithmetic, blanks, picklists, dates). formulon re-parses the text
 * on every call (milliseconds); the tree is parsed once here and walked per record.
 * Anything outside the subset throws Unsupported and the caller falls back to formulon.
 */
import { ast as formulonAst } from 'formulon';

export class Unsupported extends Error {}

/** A formula value: numbers, text, checkbox, date (UTC ms at midnight), datetime (UTC ms), or null. */
export type V =
  | { t: 'number'; v: number }
  | { t: 'text'; v: string }
  | { t: 'checkbox'; v: boolean }
  | { t: 'date'; v: number }
  | { t: 'datetime'; v: number }
  | { t: 'multi'; v: string[] }
  | { t: 'null' };

export interface Node {
  type: 'callExpression' | 'identifier' | 'literal';
  id?: string;
  name?: string;
  arguments?: Node[];
  value?: unknown;
  dataType?: string;
}

const NULL: V = { t: 'null' };
const DAY = 86400000;
const astCache = new Map<string, Node | null>();

/** formulon's tree of a formula (cached), or null when it does not parse. */
export function treeOf(formula: string): Node | null {
  let tree = astCache.get(formula);
  if (tree === undefined) {
    try {
      const t = formulonAst(formula) as unknown as Node & { type: string };
      tree = t && (t.type as string) !== 'error' && t.type ? t : null;
    } catch {
      tree = null;
    }
    if (astCache.size > 2000) astCache.clear();
    astCache.set(formula, tree);
  }
  return tree;
}

function bool(x: V): boolean | null {
  if (x.t === 'null') return null;
  if (x.t !== 'checkbox') throw new Unsupported('not a checkbox');
  return x.v;
}

function num(x: V): number | null {
  if (x.t === 'null') return null;
  if (x.t !== 'number') throw new Unsupported('not a number');
  return x.v;
}

function isBlank(x: V): boolean {
  return x.t === 'null' || (x.t === 'text' && x.v === '') || (x.t === 'multi' && x.v.length === 0);
}

function comparable(a: V, b: V): [number | string, number | string] | null {
  if (a.t === 'null' || b.t === 'null') return null;
  if (
    (a.t === 'number' && b.t === 'number') ||
    (a.t === 'date' && b.t === 'date') ||
    (a.t === 'datetime' && b.t === 'datetime')
  )
    return [a.v, b.v];
  if (a.t === 'text' && b.t === 'text') return [a.v, b.v];
  if (a.t === 'checkbox' && b.t === 'checkbox') return [a.v ? 1 : 0, b.v ? 1 : 0];
  throw new Unsupported(`cannot compare ${a.t} with ${b.t}`);
}

export interface InterpretEnv {
  variable(name: string): V;
  now: Date;
}

export function evaluate(node: Node, env: InterpretEnv): V {
  switch (node.type) {
    case 'literal': {
      const v = node.value;
      switch (node.dataType) {
        case 'number':
          return { t: 'number', v: Number(v) };
        case 'text':
          return { t: 'text', v: String(v) };
        case 'checkbox':
          return { t: 'checkbox', v: Boolean(v) };
        case 'null':
          return NULL;
        default:
          throw new Unsupported(`literal ${String(node.dataType)}`);
      }
    }
    case 'identifier':
      return env.variable(node.name ?? '');
    case 'callExpression':
      return call(node.id ?? '', node.arguments ?? [], env);
    default:
      throw new Unsupported('node');
  }
}

function call(id: string, args: Node[], env: InterpretEnv): V {
  const ev = (i: number): V => evaluate(args[i], env);
  switch (id) {
    case 'and': {
      let sawNull = false;
      for (let i = 0; i < args.length; i++) {
        const b = bool(ev(i));
        if (b === false) return { t: 'checkbox', v: false };
        if (b === null) sawNull = true;
      }
      return sawNull ? NULL : { t: 'checkbox', v: true };
    }
    case 'or': {
      let sawNull = false;
      for (let i = 0; i < args.length; i++) {
        const b = bool(ev(i));
        if (b === true) return { t: 'checkbox', v: true };
        if (b === null) sawNull = true;
      }
      return sawNull ? NULL : { t: 'checkbox', v: false };
    }
    case 'not': {
      const b = bool(ev(0));
      return b === null ? NULL : { t: 'checkbox', v: !b };
    }
    case 'if': {
      const c = bool(ev(0));
      return c ? ev(1) : ev(2);
    }
    case 'isblank':
    case 'isnull':
      return { t: 'checkbox', v: isBlank(ev(0)) };
    case 'blankvalue':
    case 'nullvalue': {
      const x = ev(0);
      return isBlank(x) ? ev(1) : x;
    }
    case 'ispickval': {
      const x = ev(0);
      const want = ev(1);
      if (want.t !== 'text') throw new Unsupported('ISPICKVAL value');
      return { t: 'checkbox', v: x.t === 'text' && x.v === want.v };
    }
    case 'equal':
    case 'unequal': {
      const a = ev(0);
      const b = ev(1);
      // Text blanks are '' and compare equal to ""; other blanks leave the result blank.
      const pair = comparable(
        a.t === 'null' && b.t === 'text' ? { t: 'text', v: '' } : a,
        b.t === 'null' && a.t === 'text' ? { t: 'text', v: '' } : b
      );
      if (!pair) return NULL;
      const same = pair[0] === pair[1];
      return { t: 'checkbox', v: id === 'equal' ? same : !same };
    }
    case 'greaterThan':
    case 'lessThan':
    case 'greaterThanOrEqual':
    case 'lessThanOrEqual': {
      const pair = comparable(ev(0), ev(1));
      if (!pair) return NULL;
      const [a, b] = pair;
      const r =
        id === 'greaterThan'
          ? a > b
          : id === 'lessThan'
            ? a < b
            : id === 'greaterThanOrEqual'
              ? a >= b
              : a <= b;
      return { t: 'checkbox', v: r };
    }
    case 'add': {
      const a = ev(0);
      const b = ev(1);
      if (a.t === 'text' || b.t === 'text') {
        if ((a.t !== 'text' && a.t !== 'null') || (b.t !== 'text' && b.t !== 'null'))
          throw new Unsupported('text + non-text');
        return { t: 'text', v: (a.t === 'text' ? a.v : '') + (b.t === 'text' ? b.v : '') };
      }
      if (a.t === 'null' || b.t === 'null') return NULL;
      if (a.t === 'number' && b.t === 'number') return { t: 'number', v: a.v + b.v };
      if ((a.t === 'date' || a.t === 'datetime') && b.t === 'number') return { t: a.t, v: a.v + b.v * DAY };
      if (a.t === 'number' && (b.t === 'date' || b.t === 'datetime')) return { t: b.t, v: b.v + a.v * DAY };
      throw new Unsupported('add');
    }
    case 'subtract': {
      const a = ev(0);
      const b = ev(1);
      if (a.t === 'null' || b.t === 'null') return NULL;
      if (a.t === 'number' && b.t === 'number') return { t: 'number', v: a.v - b.v };
      if ((a.t === 'date' || a.t === 'datetime') && b.t === 'number') return { t: a.t, v: a.v - b.v * DAY };
      if ((a.t === 'date' && b.t === 'date') || (a.t === 'datetime' && b.t === 'datetime'))
        return { t: 'number', v: (a.v - b.v) / DAY };
      throw new Unsupported('subtract');
    }
    case 'multiply':
    case 'divide': {
      const a = num(ev(0));
      const b = num(ev(1));
      if (a === null || b === null) return NULL;
      if (id === 'divide' && b === 0) return NULL;
      return { t: 'number', v: id === 'multiply' ? a * b : a / b };
    }
    case 'min':
    case 'max': {
      // blank arguments are skipped (as formulon does)
      const xs = args.map((_, i) => num(ev(i))).filter((x): x is number => x !== null);
      if (xs.length === 0) return NULL;
      return { t: 'number', v: id === 'min' ? Math.min(...xs) : Math.max(...xs) };
    }
    case 'abs': {
      const a = num(ev(0));
      return a === null ? NULL : { t: 'number', v: Math.abs(a) };
    }
    case 'today': {
      const n = env.now.getTime();
      return { t: 'date', v: Math.floor(n / DAY) * DAY };
    }
    case 'now':
      return { t: 'datetime', v: env.now.getTime() };
    case 'date': {
      const [y, m, d] = [num(ev(0)), num(ev(1)), num(ev(2))];
      if (y === null || m === null || d === null) return NULL;
      return { t: 'date', v: Date.UTC(y, m - 1, d) };
    }
    case 'len': {
      const a = ev(0);
      if (a.t === 'null') return { t: 'number', v: 0 };
      if (a.t !== 'text') throw new Unsupported('LEN');
      return { t: 'number', v: a.v.length };
    }
    case 'includes': {
      const a = ev(0);
      const b = ev(1);
      if (b.t !== 'text') throw new Unsupported('INCLUDES');
      return { t: 'checkbox', v: a.t === 'multi' && a.v.includes(b.v) };
    }
    default:
      throw new Unsupported(id);
  }
}
