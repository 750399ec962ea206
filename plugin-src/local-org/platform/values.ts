/**
 * Field values in and out of the store. Stored forms: strings, numbers, booleans, null;
 * dates as `YYYY-MM-DD` strings; date-times as epoch milliseconds (compact, and compare
 * as numbers). The API forms are Salesforce's: `2026-11-25T08:07:38.000+0000`.
 */
import { normalizeId } from '../../domain/ids.js';
import { SalesforceError } from '../errors.js';
import type { FieldDef, ObjectDef, Schema } from '../schema.js';

export function formatDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** `YYYY-MM-DD` of a UTC timestamp. */
export function dateOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** Parses a Salesforce/ISO date-time (`...Z`, `...+0000`, `...+01:00`); NaN when it is not one. */
export function parseDateTime(value: string): number {
  const m = DATETIME_RE.exec(value.trim());
  if (!m) {
    const d = DATE_RE.exec(value.trim());
    if (d) return Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]));
    return NaN;
  }
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  let ms = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s ?? 0),
    frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0
  );
  if (tz && tz.toUpperCase() !== 'Z') {
    const sign = tz.startsWith('-') ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60000;
  }
  return ms;
}

function validDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** Key prefixes seen to be valid for a reference field (saves a schema lookup per write). */
const allowedPrefixes = new WeakMap<FieldDef, Set<string>>();

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function typeError(f: FieldDef, value: unknown): SalesforceError {
  const shown = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return new SalesforceError(
    'INVALID_TYPE_ON_FIELD_IN_RECORD',
    `${f.label}: value not of required type: ${shown}`,
    [f.name]
  );
}

function numeric(f: FieldDef, value: unknown): number {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value.trim())))
    n = Number(value.trim());
  else throw typeError(f, value);
  if (!Number.isFinite(n)) throw typeError(f, value);
  const scale = f.scale ?? 0;
  const precision = f.precision ?? 18;
  if (f.type === 'int') {
    if (!Number.isInteger(n)) throw typeError(f, value);
  } else if (scale >= 0 && scale < 15) {
    const p = 10 ** scale;
    n = Math.round(n * p) / p;
  }
  const intDigits = Math.trunc(Math.abs(n)).toString().length;
  if (precision - scale > 0 && intDigits > precision - scale && Math.trunc(Math.abs(n)) !== 0) {
    throw new SalesforceError(
      'NUMBER_OUTSIDE_VALID_RANGE',
      `${f.label}: value outside of valid range on numeric field: ${n}`,
      [f.name]
    );
  }
  return n;
}

/**
 * The stored form of an API value for a field, or a SalesforceError worded as Salesforce's.
 * `''` becomes null (Salesforce stores empty text as null).
 */
export function coerce(f: FieldDef, value: unknown, schema: Schema): unknown {
  if (value === null || value === undefined || value === '') return f.type === 'boolean' ? false : null;
  switch (f.type) {
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      if (typeof value === 'number' && (value === 0 || value === 1)) return value === 1;
      const s = String(value).trim().toLowerCase();
      if (s === 'true' || s === '1' || s === 'yes') return true;
      if (s === 'false' || s === '0' || s === 'no') return false;
      throw typeError(f, value);
    }
    case 'double':
    case 'currency':
    case 'percent':
    case 'int':
      return numeric(f, value);
    case 'date': {
      if (typeof value !== 'string') throw typeError(f, value);
      const v = value.trim();
      if (validDate(v)) return v;
      const ms = parseDateTime(v);
      if (Number.isNaN(ms)) throw typeError(f, value);
      return dateOf(ms);
    }
    case 'datetime': {
      if (typeof value === 'number') return value;
      if (value instanceof Date) return value.getTime();
      if (typeof value !== 'string') throw typeError(f, value);
      const ms = parseDateTime(value);
      if (Number.isNaN(ms)) throw typeError(f, value);
      return ms;
    }
    case 'reference':
    case 'id': {
      if (typeof value !== 'string') throw typeError(f, value);
      const id = normalizeId(value);
      if (!id)
        throw new SalesforceError('MALFORMED_ID', `${f.label}: id value of incorrect type: ${value}`, [
          f.name
        ]);
      if (f.type === 'reference' && f.referenceTo?.length) {
        const prefix = id.slice(0, 3);
        let ok = allowedPrefixes.get(f);
        if (!ok?.has(prefix)) {
          const target = schema.byKeyPrefix(prefix);
          if (!target || !f.referenceTo.some((r) => r.toLowerCase() === target.name.toLowerCase())) {
            throw new SalesforceError(
              'FIELD_INTEGRITY_EXCEPTION',
              `${f.label}: id value of incorrect type: ${value}`,
              [f.name]
            );
          }
          if (!ok) allowedPrefixes.set(f, (ok = new Set()));
          ok.add(prefix);
        }
      }
      return id;
    }
    case 'picklist': {
      const s =
        typeof value === 'string'
          ? value
          : typeof value === 'number' || typeof value === 'boolean'
            ? String(value)
            : null;
      if (s === null) throw typeError(f, value);
      if (f.restrictedPicklist) {
        const match =
          f.picklistValues?.find((p) => p === s) ??
          f.picklistValues?.find((p) => p.toLowerCase() === s.toLowerCase());
        if (match === undefined) throw badPicklist(f, s);
        return match;
      }
      checkLength(f, s);
      return s;
    }
    case 'multipicklist': {
      if (typeof value !== 'string' && !Array.isArray(value)) throw typeError(f, value);
      const parts = (Array.isArray(value) ? value.map(String) : value.split(';'))
        .map((p) => p.trim())
        .filter(Boolean);
      const out: string[] = [];
      for (const p of parts) {
        let v = p;
        if (f.restrictedPicklist) {
          const match =
            f.picklistValues?.find((x) => x === p) ??
            f.picklistValues?.find((x) => x.toLowerCase() === p.toLowerCase());
          if (match === undefined) throw badPicklist(f, p);
          v = match;
        }
        if (!out.includes(v)) out.push(v);
      }
      if (out.length === 0) return null;
      const joined = out.join(';');
      checkLength(f, joined);
      return joined;
    }
    case 'email': {
      const s = typeof value === 'string' ? value.trim() : null;
      if (s === null) throw typeError(f, value);
      if (!EMAIL_RE.test(s))
        throw new SalesforceError('INVALID_EMAIL_ADDRESS', `${f.label}: invalid email address: ${s}`, [
          f.name
        ]);
      checkLength(f, s);
      return s;
    }
    default: {
      let s: string;
      if (typeof value === 'string') s = value;
      else if (typeof value === 'number' || typeof value === 'boolean') s = String(value);
      else throw typeError(f, value);
      checkLength(f, s);
      return s;
    }
  }
}

function badPicklist(f: FieldDef, value: string): SalesforceError {
  return new SalesforceError(
    'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
    `${f.label}: bad value for restricted picklist field: ${value}`,
    [f.name]
  );
}

function checkLength(f: FieldDef, s: string): void {
  if (f.length && s.length > f.length) {
    throw new SalesforceError(
      'STRING_TOO_LONG',
      `${f.label}: data value too large: ${s.length > 300 ? `${s.slice(0, 300)}...` : s} (max length=${f.length})`,
      [f.name]
    );
  }
}

/** A stored value in API (REST JSON) form. */
export function toApi(f: FieldDef | undefined, value: unknown): unknown {
  if (value === undefined || value === null) return f?.type === 'boolean' ? false : null;
  if (f?.type === 'datetime' && typeof value === 'number') return formatDateTime(value);
  return value;
}

/** Stored form of a trusted value (seed/load): like coerce, but never throws on type. */
export function coerceTrusted(f: FieldDef, value: unknown): unknown {
  if (value === undefined || value === null || value === '') return f.type === 'boolean' ? false : null;
  switch (f.type) {
    case 'datetime':
      if (typeof value === 'number') return value;
      if (value instanceof Date) return value.getTime();
      return parseDateTime(String(value));
    case 'date':
      if (value instanceof Date) return dateOf(value.getTime());
      return String(value).slice(0, 10);
    case 'reference':
    case 'id':
      return typeof value === 'string' && value.length === 15 ? (normalizeId(value) ?? value) : value;
    case 'boolean':
      return value === true || value === 'true' || value === 1 || value === '1';
    case 'double':
    case 'currency':
    case 'percent':
    case 'int':
      return typeof value === 'number' ? value : Number(value);
    default:
      return value;
  }
}

/** The apex type of a field for column metadata and describe. */
export function apexTypeOf(f: FieldDef): string {
  switch (f.type) {
    case 'boolean':
      return 'Boolean';
    case 'double':
    case 'currency':
    case 'percent':
      return 'Double';
    case 'int':
      return 'Integer';
    case 'date':
      return 'Date';
    case 'datetime':
      return 'Datetime';
    case 'id':
    case 'reference':
      return 'Id';
    case 'address':
      return 'Address';
    default:
      return 'String';
  }
}

export function objectHasOwner(obj: ObjectDef): boolean {
  return obj.fields.has('ownerid');
}
