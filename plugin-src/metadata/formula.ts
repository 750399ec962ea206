/**
 * Salesforce formula text, read the way the platform reads it: a tokenizer that skips string
 * literals and comments, tells function names (followed by `(`) from field references, and
 * keeps dotted paths (`Budget__r.Partner__r.Name`, `$User.Id`) whole, so each reference can be
 * resolved through the lookups it walks.
 */
export type FormulaTokenKind = 'reference' | 'function' | 'string' | 'number' | 'literal' | 'symbol';

export interface FormulaToken {
  kind: FormulaTokenKind;
  text: string;
  /** offset of the token in the formula (0-based) */
  offset: number;
}

export class FormulaSyntaxError extends Error {
  public constructor(
    message: string,
    public readonly offset: number
  ) {
    super(message);
    this.name = 'FormulaSyntaxError';
  }
}

const IDENT_START = /[A-Za-z_$]/;
const IDENT_PART = /[A-Za-z0-9_]/;
const LITERAL_KEYWORDS = new Set(['TRUE', 'FALSE', 'NULL']);

export function tokenizeFormula(formula: string): FormulaToken[] {
  const tokens: FormulaToken[] = [];
  let i = 0;
  const n = formula.length;
  while (i < n) {
    const ch = formula[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '/' && formula[i + 1] === '*') {
      const end = formula.indexOf('*/', i + 2);
      if (end < 0) throw new FormulaSyntaxError('comment is not closed (missing */)', i);
      i = end + 2;
    } else if (ch === '"' || ch === "'") {
      const start = i;
      i++;
      while (i < n && formula[i] !== ch) i += formula[i] === '\\' ? 2 : 1;
      if (i >= n)
        throw new FormulaSyntaxError(`text starting at offset ${start} is not closed (missing ${ch})`, start);
      i++;
      tokens.push({ kind: 'string', text: formula.slice(start, i), offset: start });
    } else if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(formula[i + 1] ?? ''))) {
      const start = i;
      while (i < n && /[0-9.]/.test(formula[i])) i++;
      tokens.push({ kind: 'number', text: formula.slice(start, i), offset: start });
    } else if (IDENT_START.test(ch)) {
      const start = i;
      i++;
      for (;;) {
        while (i < n && IDENT_PART.test(formula[i])) i++;
        if (formula[i] === '.' && i + 1 < n && IDENT_START.test(formula[i + 1])) {
          i++;
          continue;
        }
        break;
      }
      const text = formula.slice(start, i);
      let j = i;
      while (j < n && /\s/.test(formula[j])) j++;
      if (formula[j] === '(') tokens.push({ kind: 'function', text, offset: start });
      else if (LITERAL_KEYWORDS.has(text.toUpperCase()))
        tokens.push({ kind: 'literal', text, offset: start });
      else tokens.push({ kind: 'reference', text, offset: start });
    } else {
      tokens.push({ kind: 'symbol', text: ch, offset: i });
      i++;
    }
  }
  let depth = 0;
  for (const t of tokens) {
    if (t.text === '(' && t.kind === 'symbol') depth++;
    if (t.text === ')' && t.kind === 'symbol') depth--;
    if (depth < 0) throw new FormulaSyntaxError('a closing parenthesis has no opening one', t.offset);
  }
  if (depth !== 0) throw new FormulaSyntaxError(`${depth} parenthesis(es) not closed`, formula.length);
  return tokens;
}

/** The distinct field references of a formula, in order of first use. */
export function formulaReferences(formula: string): string[] {
  const seen = new Map<string, string>();
  for (const t of tokenizeFormula(formula)) {
    if (t.kind === 'reference' && !seen.has(t.text.toLowerCase())) seen.set(t.text.toLowerCase(), t.text);
  }
  return [...seen.values()];
}

/** The distinct function names of a formula, upper-cased. */
export function formulaFunctions(formula: string): string[] {
  return [
    ...new Set(
      tokenizeFormula(formula)
        .filter((t) => t.kind === 'function')
        .map((t) => t.text.toUpperCase())
    )
  ];
}
