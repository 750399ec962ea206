// Types for the parts of formulon (a Salesforce formula parser/evaluator) the local org uses.
declare module 'formulon' {
  export interface FormulonLiteral {
    type: 'literal';
    value: unknown;
    dataType: string;
    options?: Record<string, unknown>;
  }
  export interface FormulonError {
    type: 'error';
    errorType: string;
    message: string;
  }
  export function parse(
    formula: string,
    substitutions?: Record<string, FormulonLiteral>
  ): FormulonLiteral | FormulonError;
  export function extract(formula: string): string[];
  /** the syntax tree (callExpression / identifier / literal nodes) */
  export function ast(formula: string): unknown;
}
