/**
 * A user's `--where` condition on Account, made safe: it is parsed as
 * `SELECT Id FROM Account WHERE <condition>` with a real SOQL parser and accepted only when it is
 * a plain condition on Account fields — no second statement, no subquery or semi-join, no
 * LIMIT/ORDER BY/GROUP BY/OFFSET/FOR/WITH smuggled in, no bind variables, every field known to the
 * Account describe (and filterable). What goes to the org is re-composed from the parsed tree,
 * never the raw text.
 */
import {
  composeQuery,
  parseQuery,
  type Condition,
  type ConditionWithValueQuery,
  type FunctionExp,
  type Query,
  type WhereClause
} from '@jetstreamapp/soql-parser-js';

/** What this module needs to know about a field (a subset of a describe's field). */
export interface ConditionField {
  name: string;
  type?: string;
  filterable?: boolean;
  relationshipName?: string | null;
  referenceTo?: string[];
}

/** Field lists per object, e.g. from `conn.describe(sobject)`; lower-case keys are not required. */
export type DescribeFields = (sobject: string) => Promise<readonly ConditionField[]>;

export class SoqlConditionError extends Error {
  public constructor(
    message: string,
    public readonly code: string
  ) {
    super(message);
    this.name = 'SoqlConditionError';
  }
}

export interface SafeCondition {
  /** The condition re-composed from the parse tree (safe to put after WHERE, in parentheses). */
  condition: string;
  /** The fields it reads, as written (e.g. `Industry`, `Owner.Username`). */
  fields: string[];
}

const MAX_CONDITION_LENGTH = 4000;

/** Date functions SOQL allows in a WHERE clause on a date/datetime field. */
const DATE_FUNCTIONS = new Set([
  'CALENDAR_MONTH',
  'CALENDAR_QUARTER',
  'CALENDAR_YEAR',
  'DAY_IN_MONTH',
  'DAY_IN_WEEK',
  'DAY_IN_YEAR',
  'DAY_ONLY',
  'FISCAL_MONTH',
  'FISCAL_QUARTER',
  'FISCAL_YEAR',
  'HOUR_IN_DAY',
  'WEEK_IN_MONTH',
  'WEEK_IN_YEAR'
]);

/** Finds `;` outside string literals (a second statement), for a clear message before parsing. */
function findSemicolon(text: string): number {
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === "'") inString = false;
    } else if (c === "'") inString = true;
    else if (c === ';') return i;
  }
  return -1;
}

function fail(code: string, message: string): never {
  throw new SoqlConditionError(`--where ${message}`, code);
}

function isConditionWithFn(c: ConditionWithValueQuery): c is Condition & { fn: FunctionExp } {
  return 'fn' in c && c.fn !== undefined;
}

/** Collects every leaf condition of a WHERE tree. */
function leaves(where: WhereClause | undefined, out: ConditionWithValueQuery[] = []): ConditionWithValueQuery[] {
  if (!where) return out;
  if (where.left && ('field' in where.left || 'fn' in where.left || 'valueQuery' in where.left)) out.push(where.left);
  if ('right' in where && where.right) leaves(where.right, out);
  return out;
}

/**
 * Parses, checks and re-composes a `--where` condition on Account. Throws SoqlConditionError
 * saying what is wrong and what is allowed.
 */
export async function safeAccountCondition(raw: string, describeFields: DescribeFields, sobject = 'Account'): Promise<SafeCondition> {
  const text = raw.trim();
  if (text.length === 0) fail('EMPTY', 'is empty: give a condition such as "Industry = \'Energy\'".');
  if (text.length > MAX_CONDITION_LENGTH) fail('TOO_LONG', `is ${text.length} characters long; keep it under ${MAX_CONDITION_LENGTH}.`);
  const semicolon = findSemicolon(text);
  if (semicolon >= 0) {
    fail('SECOND_STATEMENT', `contains ";" at character ${semicolon + 1}: only one condition is allowed, not a second statement.`);
  }
  if (/^\s*WHERE\b/i.test(text)) fail('NOT_A_CONDITION', 'must be the condition only, without the word WHERE.');

  let query: Query;
  try {
    query = parseQuery(`SELECT Id FROM ${sobject} WHERE ${text}`, { allowApexBindVariables: false });
  } catch (e) {
    const detail = ((e as Error).message ?? '').split('\n')[0];
    fail('PARSE_ERROR', `is not a valid SOQL condition (${detail}). Write a condition such as "Industry = 'Energy' AND BillingCountry IN ('FR','DE')".`);
  }

  const extra = Object.keys(query).filter((k) => !['fields', 'sObject', 'where'].includes(k) && (query as Record<string, unknown>)[k] !== undefined);
  if (extra.length > 0) {
    const names: Record<string, string> = {
      limit: 'LIMIT',
      offset: 'OFFSET',
      orderBy: 'ORDER BY',
      groupBy: 'GROUP BY',
      having: 'HAVING',
      for: 'FOR',
      update: 'UPDATE',
      withSecurityEnforced: 'WITH SECURITY_ENFORCED',
      withAccessLevel: 'WITH USER_MODE/SYSTEM_MODE',
      withDataCategory: 'WITH DATA CATEGORY',
      usingScope: 'USING SCOPE'
    };
    fail('NOT_A_CONDITION', `may only be a condition; it also contains ${extra.map((k) => names[k] ?? k).join(', ')}. Remove it.`);
  }
  if (!query.where) fail('PARSE_ERROR', 'is not a condition.');

  const fields = await describeFields(sobject);
  const byName = new Map(fields.map((f) => [f.name.toLowerCase(), f]));
  const byRelationship = new Map(fields.filter((f) => f.relationshipName).map((f) => [String(f.relationshipName).toLowerCase(), f]));
  const related = new Map<string, Map<string, ConditionField>>();

  const checkField = async (path: string): Promise<void> => {
    const parts = path.split('.');
    if (parts.length === 1) {
      const f = byName.get(path.toLowerCase());
      if (!f) fail('UNKNOWN_FIELD', `uses the field "${path}", which ${sobject} does not have. Check the API name (e.g. Industry, Key_Account__c).`);
      if (f.filterable === false) fail('NOT_FILTERABLE', `uses the field "${path}", which cannot be filtered on.`);
      return;
    }
    if (parts.length > 2) fail('RELATIONSHIP_TOO_DEEP', `uses "${path}": only fields of ${sobject} or of one related record (e.g. Owner.Username) are allowed.`);
    const rel = byRelationship.get(parts[0].toLowerCase());
    if (!rel || !rel.referenceTo?.length) fail('UNKNOWN_FIELD', `uses "${path}": ${sobject} has no relationship "${parts[0]}".`);
    if (rel.referenceTo.length > 1) fail('POLYMORPHIC', `uses "${path}": "${parts[0]}" can point to several objects; filter on ${rel.name} instead.`);
    const target = rel.referenceTo[0];
    let targetFields = related.get(target);
    if (!targetFields) {
      targetFields = new Map((await describeFields(target)).map((f) => [f.name.toLowerCase(), f]));
      related.set(target, targetFields);
    }
    const f = targetFields.get(parts[1].toLowerCase());
    if (!f) fail('UNKNOWN_FIELD', `uses "${path}": ${target} has no field "${parts[1]}".`);
    if (f.filterable === false) fail('NOT_FILTERABLE', `uses "${path}", which cannot be filtered on.`);
  };

  const used: string[] = [];
  for (const leaf of leaves(query.where)) {
    if ('valueQuery' in leaf && leaf.valueQuery) {
      fail('SUBQUERY', `contains a subquery (SELECT inside the condition, on ${'field' in leaf ? leaf.field : 'a field'}): semi-joins and subqueries are not allowed. Filter on Account fields only.`);
    }
    const literal = ([] as unknown[]).concat((leaf as { literalType?: unknown }).literalType ?? []);
    if (literal.includes('SUBQUERY')) fail('SUBQUERY', 'contains a subquery: semi-joins and subqueries are not allowed.');
    if (literal.includes('APEX_BIND_VARIABLE')) fail('BIND_VARIABLE', 'contains a bind variable (:name): write the value itself.');
    if (isConditionWithFn(leaf)) {
      const fn = leaf.fn;
      const name = (fn.functionName ?? '').toUpperCase();
      if (!DATE_FUNCTIONS.has(name)) fail('FUNCTION', `uses the function ${fn.functionName ?? fn.rawValue}: only date functions (e.g. CALENDAR_YEAR(CreatedDate)) are allowed.`);
      const params = fn.parameters ?? [];
      if (params.length !== 1 || typeof params[0] !== 'string') fail('FUNCTION', `uses ${fn.rawValue ?? name} with an argument that is not a field.`);
      await checkField(params[0]);
      used.push(params[0]);
    } else if ('field' in leaf) {
      await checkField(leaf.field);
      used.push(leaf.field);
    }
  }

  const composed = composeQuery({ sObject: sobject, fields: [{ type: 'Field', field: 'Id' }], where: query.where });
  const prefix = `SELECT Id FROM ${sobject} WHERE `;
  if (!composed.startsWith(prefix)) fail('PARSE_ERROR', 'could not be re-composed.');
  const condition = composed.slice(prefix.length);
  // Belt and braces: the re-composed condition must itself parse to the same plain shape.
  const again = parseQuery(`${prefix}${condition}`);
  if (Object.keys(again).some((k) => !['fields', 'sObject', 'where'].includes(k))) fail('NOT_A_CONDITION', 'could not be re-composed safely.');
  return { condition, fields: [...new Set(used)] };
}
