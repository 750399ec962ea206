/**
 * SOQL date literals (TODAY, LAST_N_DAYS:n, THIS_MONTH ...) as UTC ranges [start, end) in
 * epoch milliseconds. The local org's time zone is GMT.
 */
const DAY = 86400000;

function startOfDay(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

function monthStart(y: number, m: number): number {
  return Date.UTC(y, m, 1);
}

function quarterStart(y: number, q: number): number {
  return Date.UTC(y, q * 3, 1);
}

export function dateLiteralRange(literal: string, nowMs: number): [number, number] | undefined {
  const [rawName, rawN] = literal.toUpperCase().split(':');
  const name = rawName.trim();
  const n = rawN === undefined ? 0 : Number(rawN);
  if (rawN !== undefined && !Number.isInteger(n)) return undefined;
  const today = startOfDay(nowMs);
  const d = new Date(today);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const weekStart = today - d.getUTCDay() * DAY;
  const q = Math.floor(m / 3);
  switch (name) {
    case 'TODAY':
      return [today, today + DAY];
    case 'YESTERDAY':
      return [today - DAY, today];
    case 'TOMORROW':
      return [today + DAY, today + 2 * DAY];
    case 'LAST_WEEK':
      return [weekStart - 7 * DAY, weekStart];
    case 'THIS_WEEK':
      return [weekStart, weekStart + 7 * DAY];
    case 'NEXT_WEEK':
      return [weekStart + 7 * DAY, weekStart + 14 * DAY];
    case 'LAST_MONTH':
      return [monthStart(y, m - 1), monthStart(y, m)];
    case 'THIS_MONTH':
      return [monthStart(y, m), monthStart(y, m + 1)];
    case 'NEXT_MONTH':
      return [monthStart(y, m + 1), monthStart(y, m + 2)];
    case 'LAST_90_DAYS':
      return [today - 90 * DAY, today + DAY];
    case 'NEXT_90_DAYS':
      return [today + DAY, today + 91 * DAY];
    case 'LAST_N_DAYS':
      return [today - n * DAY, today + DAY];
    case 'NEXT_N_DAYS':
      return [today + DAY, today + (n + 1) * DAY];
    case 'N_DAYS_AGO':
      return [today - n * DAY, today - (n - 1) * DAY];
    case 'N_DAYS_FROM_NOW':
      return [today + n * DAY, today + (n + 1) * DAY];
    case 'LAST_N_WEEKS':
      return [weekStart - 7 * n * DAY, weekStart];
    case 'NEXT_N_WEEKS':
      return [weekStart + 7 * DAY, weekStart + 7 * (n + 1) * DAY];
    case 'N_WEEKS_AGO':
      return [weekStart - 7 * n * DAY, weekStart - 7 * (n - 1) * DAY];
    case 'LAST_N_MONTHS':
      return [monthStart(y, m - n), monthStart(y, m)];
    case 'NEXT_N_MONTHS':
      return [monthStart(y, m + 1), monthStart(y, m + 1 + n)];
    case 'N_MONTHS_AGO':
      return [monthStart(y, m - n), monthStart(y, m - n + 1)];
    case 'THIS_QUARTER':
      return [quarterStart(y, q), quarterStart(y, q + 1)];
    case 'LAST_QUARTER':
      return [quarterStart(y, q - 1), quarterStart(y, q)];
    case 'NEXT_QUARTER':
      return [quarterStart(y, q + 1), quarterStart(y, q + 2)];
    case 'LAST_N_QUARTERS':
      return [quarterStart(y, q - n), quarterStart(y, q)];
    case 'NEXT_N_QUARTERS':
      return [quarterStart(y, q + 1), quarterStart(y, q + 1 + n)];
    case 'THIS_YEAR':
      return [Date.UTC(y, 0, 1), Date.UTC(y + 1, 0, 1)];
    case 'LAST_YEAR':
      return [Date.UTC(y - 1, 0, 1), Date.UTC(y, 0, 1)];
    case 'NEXT_YEAR':
      return [Date.UTC(y + 1, 0, 1), Date.UTC(y + 2, 0, 1)];
    case 'LAST_N_YEARS':
      return [Date.UTC(y - n, 0, 1), Date.UTC(y, 0, 1)];
    case 'NEXT_N_YEARS':
      return [Date.UTC(y + 1, 0, 1), Date.UTC(y + 1 + n, 0, 1)];
    case 'N_YEARS_AGO':
      return [Date.UTC(y - n, 0, 1), Date.UTC(y - n + 1, 0, 1)];
    case 'THIS_FISCAL_YEAR':
      return [Date.UTC(y, 0, 1), Date.UTC(y + 1, 0, 1)];
    case 'THIS_FISCAL_QUARTER':
      return [quarterStart(y, q), quarterStart(y, q + 1)];
    default:
      return undefined;
  }
}
