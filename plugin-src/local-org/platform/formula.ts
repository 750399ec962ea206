/**
 * Salesforce formulas (formula fields, validation rules) evaluated with formulon. The
 * caller resolves identifiers (fields of the record, `Parent__r.Field__c` paths, formula
 * fields in turn); this module handles what formulon lacks (ISNEW, ISCHANGED, PRIORVALUE,
 * $User) and Salesforce's treatment of blanks.
 */
import { extract, parse, type FormulonLiteral } from 'formulon';
import type { FieldDef } from '../schema.js';
import { dateOf, formatDateTime } from './values.js';
import { evaluate, treeOf, Unsupported, type V } from './interpret.js';

export interface Resolved {
  value: unknown;
  field?: FieldDef;
}

export interface FormulaEnv {
  /** the value of a field or relationship path of the record (case-insensitive) */
  resolve(path: string): Resolved;
  /** the value the field had before this save (for ISCHANGED/PRIORVALUE) */
  prior?(path: string): Resolved;
  isNew: boolean;
  userId?: string;
  now: Date;
}

export type FormulaResult = { ok: true; value: unknown } | { ok: false; message: string };

const extractCache = new Map<string, string[]>();

function variablesOf(formula: string): string[] {
  let v = extractCache.get(formula);
  if (!v) {
    try {
      v = extract(formula);
    } catch {
      v = [];
    }
    extractCache.set(formula, v);
  }
  return v;
}

const memo = new Map<string, FormulaResult>();
const MEMO_LIMIT = 50000;

/** formulon's literal for a stored value of a field. */
function literal(r: Resolved, blankAsZero: boolean): FormulonLiteral {
  const f = r.field;
  const v = r.value;
  const type = f?.type ?? (typeof v === 'number' ? 'double' : typeof v === 'boolean' ? 'boolean' : 'string');
  if (v === null || v === undefined) {
    if (blankAsZero && ['double', 'currency', 'percent', 'int'].includes(type))
      return { type: 'literal', dataType: 'number', value: 0, options: { length: 18, scale: f?.scale ?? 0 } };
    if (type === 'boolean') return { type: 'literal', dataType: 'checkbox', value: false };
    // Blank text is the empty string in Salesforce formulas; blank numbers and dates are null.
    if (['string', 'textarea', 'email', 'phone', 'url', 'id', 'reference'].includes(type))
      return { type: 'literal', dataType: 'text', value: '', options: { length: 0 } };
    return { type: 'literal', dataType: 'null', value: null };
  }
  switch (type) {
    case 'double':
    case 'currency':
    case 'percent':
    case 'int':
      return {
        type: 'literal',
        dataType: 'number',
        value: Number(v),
        options: { length: (f?.precision ?? 18) - (f?.scale ?? 0), scale: f?.scale ?? 0 }
      };
    case 'boolean':
      return { type: 'literal', dataType: 'checkbox', value: Boolean(v) };
    case 'date':
      return { type: 'literal', dataType: 'date', value: new Date(`${String(v)}T00:00:00Z`) };
    case 'datetime':
      return { type: 'literal', dataType: 'datetime', value: new Date(Number(v)) };
    case 'picklist':
      return { type: 'literal', dataType: 'picklist', value: String(v) };
    case 'id':
    case 'reference':
      // Formulas see record ids in their 15-character form (CASESAFEID gives 18).
      return { type: 'literal', dataType: 'text', value: String(v).slice(0, 15), options: { length: 15 } };
    case 'multipicklist':
      return { type: 'literal', dataType: 'multipicklist', value: String(v).split(';') };
    default:
      return { type: 'literal', dataType: 'text', value: String(v), options: { length: String(v).length } };
  }
}

function fromLiteral(res: FormulonLiteral, target?: FieldDef): unknown {
  const v = res.value;
  if (v === null || v === undefined) return null;
  switch (res.dataType) {
    case 'number': {
      const n = Number(v);
      if (!Number.isFinite(n)) return null;
      if (target && target.scale !== undefined && target.type !== 'string') {
        const p = 10 ** target.scale;
        return Math.round(n * p) / p;
      }
      return n;
    }
    case 'checkbox':
      return Boolean(v);
    case 'date':
      return v instanceof Date ? dateOf(v.getTime()) : v;
    case 'datetime':
      return v instanceof Date
        ? target?.type === 'datetime'
          ? v.getTime()
          : formatDateTime(v.getTime())
        : v;
    case 'text':
    case 'picklist':
      return v === '' ? null : String(v);
    default:
      return v;
  }
}

function toV(l: FormulonLiteral): V {
  const v = l.value;
  if (v === null || v === undefined) return { t: 'null' };
  switch (l.dataType) {
    case 'number':
      return { t: 'number', v: Number(v) };
    case 'text':
    case 'picklist':
      return { t: 'text', v: String(v) };
    case 'checkbox':
      return { t: 'checkbox', v: Boolean(v) };
    case 'date':
      return { t: 'date', v: (v as Date).getTime() };
    case 'datetime':
      return { t: 'datetime', v: (v as Date).getTime() };
    case 'multipicklist':
      return { t: 'multi', v: v as string[] };
    default:
      throw new Unsupported(l.dataType);
  }
}

function fromV(x: V, target?: FieldDef): unknown {
  switch (x.t) {
    case 'null':
      return null;
    case 'number': {
      if (!Number.isFinite(x.v)) return null;
      if (target && target.scale !== undefined && target.type !== 'string') {
        const p = 10 ** target.scale;
        return Math.round(x.v * p) / p;
      }
      return x.v;
    }
    case 'text':
      return x.v === '' ? null : x.v;
    case 'checkbox':
      return x.v;
    case 'date':
      return dateOf(x.v);
    case 'datetime':
      return target?.type === 'datetime' ? x.v : formatDateTime(x.v);
    case 'multi':
      return x.v.join(';');
    default:
      return null;
  }
}

/** Rewrites the functions formulon does not know into literals and variables. */
function preprocess(formula: string, env: FormulaEnv, extra: Record<string, FormulonLiteral>): string {
  let out = formula.replace(/\bISNEW\s*\(\s*\)/gi, env.isNew ? 'TRUE' : 'FALSE');
  out = out.replace(/\bISCHANGED\s*\(\s*([A-Za-z0-9_.]+)\s*\)/gi, (_m, path: string) => {
    if (env.isNew || !env.prior) return 'FALSE';
    const before = env.prior(path).value ?? null;
    const after = env.resolve(path).value ?? null;
    return before === after ? 'FALSE' : 'TRUE';
  });
  out = out.replace(/\bPRIORVALUE\s*\(\s*([A-Za-z0-9_.]+)\s*\)/gi, (_m, path: string) => {
    const name = `PRIORVALUE_${path.replace(/\./g, '_')}`;
    const r = env.isNew || !env.prior ? env.resolve(path) : env.prior(path);
    extra[name] = literal(r, false);
    return name;
  });
  out = out.replace(/\bCASESAFEID\s*\(\s*([A-Za-z0-9_.]+)\s*\)/gi, (_m, path: string) => {
    const name = `CASESAFEID_${path.replace(/\./g, '_')}`;
    const v = env.resolve(path).value;
    extra[name] =
      v === null || v === undefined
        ? { type: 'literal', dataType: 'null', value: null }
        : { type: 'literal', dataType: 'text', value: String(v), options: { length: 18 } };
    return name;
  });
  out = out.replace(/\$User\.Id\b/g, () => {
    extra.CURRENT_USER_ID = {
      type: 'literal',
      dataType: 'text',
      value: env.userId ?? '',
      options: { length: 18 }
    };
    return 'CURRENT_USER_ID';
  });
  out = out.replace(/\$Profile\.Name\b/g, '"System Administrator"');
  return out;
}

/**
 * Evaluates a formula for a record. `blankAsZero` is the formula field's "treat blank
 * fields as zeroes"; otherwise blank numbers and dates are null (and so is the result of
 * arithmetic or comparison on them), blank text is ''.
 */
export function evaluateFormula(
  formula: string,
  env: FormulaEnv,
  opts: { blankAsZero?: boolean; target?: FieldDef; engine?: 'fast' | 'formulon' } = {}
): FormulaResult {
  const extra: Record<string, FormulonLiteral> = {};
  const text = /ISNEW|ISCHANGED|PRIORVALUE|CASESAFEID|\$User|\$Profile/i.test(formula)
    ? preprocess(formula, env, extra)
    : formula;
  const vars = variablesOf(text);
  const values: Resolved[] = vars.map((name) => (extra[name] ? { value: null } : env.resolve(name)));
  if (opts.engine !== 'formulon') {
    const tree = treeOf(text);
    if (tree) {
      try {
        const index = new Map(vars.map((n, i) => [n, i]));
        const v = evaluate(tree, {
          now: env.now,
          variable: (name) => {
            if (extra[name]) return toV(extra[name]);
            const i = index.get(name);
            if (i === undefined) throw new Unsupported(name);
            return toV(literal(values[i], Boolean(opts.blankAsZero)));
          }
        });
        return { ok: true, value: fromV(v, opts.target) };
      } catch (e) {
        if (!(e instanceof Unsupported)) throw e;
      }
    }
  }
  const key = `${text}\u0000${dateOf(env.now.getTime())}\u0000${opts.blankAsZero ? 1 : 0}\u0000${JSON.stringify(values.map((r) => r.value ?? null))}\u0000${JSON.stringify(extra)}`;
  const hit = memo.get(key);
  if (hit) return hit;
  const run = (blankAsZero: boolean): ReturnType<typeof parse> => {
    const subs: Record<string, FormulonLiteral> = { ...extra };
    vars.forEach((name, i) => {
      if (!extra[name]) subs[name] = literal(values[i], blankAsZero);
    });
    try {
      return parse(text, subs);
    } catch (e) {
      return { type: 'error', errorType: 'Exception', message: (e as Error).message };
    }
  };
  // When formulon refuses a blank operand (`null > 5`), Salesforce's answer is blank too:
  // the formula field is null, the validation rule does not fire.
  const res = run(Boolean(opts.blankAsZero));
  const out: FormulaResult =
    res.type === 'error'
      ? { ok: false, message: res.message }
      : { ok: true, value: fromLiteral(res, opts.target) };
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, out);
  return out;
}

/** The field and relationship paths a formula reads (after the rewrites), for dependency checks. */
export function formulaVariables(formula: string): string[] {
  return variablesOf(
    formula
      .replace(/\b(ISCHANGED|PRIORVALUE)\s*\(\s*([A-Za-z0-9_.]+)\s*\)/gi, '$2')
      .replace(/\bISNEW\s*\(\s*\)/gi, 'TRUE')
  );
}
