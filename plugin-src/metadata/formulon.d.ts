// formulon ships no type declarations; these cover the parts Channel Ops uses.
declare module 'formulon' {
  export interface FormulonLiteral {
    type: 'literal';
    dataType: string;
    value: unknown;
    options?: Record<string, unknown>;
  }
  export interface FormulonError {
    type: 'error';
    errorType: string;
    message: string;
  }
  export function parse(
    formula: string,
    identifiers?: Record<string, FormulonLiteral>
  ): FormulonLiteral | FormulonError;
  export function extract(formula: string): string[];
  export function ast(formula: string): unknown;
}
