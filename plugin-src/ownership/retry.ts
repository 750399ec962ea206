/**
 * What to do with a row a Bulk job did not take: send it again (the failure is about the
 * moment — a lock, a limit, a timeout) or report it (the failure is about the row or the
 * running user's rights), with what the user can do about it.
 */

/** A row error as the failedResults CSV gives it: `CODE:message:fields`. */
export function parseRowError(sfError: string): { code: string; message: string } {
  const text = sfError.trim();
  const m = /^([A-Z][A-Z0-9_]+):(.*)$/s.exec(text);
  if (!m) return { code: 'UNKNOWN_ERROR', message: text };
  // The tail is `:<fields> --` (fields may be empty): keep only the message.
  const message = m[2].replace(/\s*--\s*$/, '').replace(/:[\w, ]*$/, '').trim();
  return { code: m[1], message: message || m[1] };
}

const RETRYABLE_ROW_CODES = new Set(['UNABLE_TO_LOCK_ROW', 'REQUEST_LIMIT_EXCEEDED', 'SERVER_UNAVAILABLE', 'TIMEOUT', 'UNPROCESSED']);

/** Whether a row failure is worth another job: locks, limits and timeouts pass by themselves. */
export function isRetryableRowError(code: string, message = ''): boolean {
  if (RETRYABLE_ROW_CODES.has(code)) return true;
  return /timed out|time ?out|timeout/i.test(message) && !/validation/i.test(message);
}

const GONE_ROW_CODES = new Set(['ENTITY_IS_DELETED', 'INVALID_CROSS_REFERENCE_KEY', 'INVALID_ID_FIELD', 'NOT_FOUND', 'INSUFFICIENT_ACCESS_OR_READONLY']);

/**
 * Whether a row failure may mean the record is gone or out of the running user's sight
 * (deleted, merged, never visible): such rows are looked up again before being reported, and
 * reported as drift when the record is not found or no longer has the owner the row leaves.
 */
export function isGoneRowError(code: string): boolean {
  return GONE_ROW_CODES.has(code);
}

/** What the user can do about a row that failed for good. */
export function whatToDo(code: string, sobject: string): string {
  switch (code) {
    case 'INSUFFICIENT_ACCESS_OR_READONLY':
    case 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY':
      return `The running user may not give this ${sobject} a new owner. It needs the Transfer Record permission (or Modify All Data, or Modify All on ${sobject}), or edit access to the record (owner, above the owner in the role hierarchy, or shared Read/Write). Grant it, then re-run apply: only rows not yet moved are sent again.`;
    case 'INACTIVE_OWNER_OR_USER':
      return 'The new owner (or a user the record refers to) is inactive. Activate the user or plan another owner, then re-run apply.';
    case 'INVALID_CROSS_REFERENCE_KEY':
      return 'The new owner id does not name a user of this org. Fix the plan (re-run channel ownership plan).';
    case 'FIELD_CUSTOM_VALIDATION_EXCEPTION':
      return 'A validation rule of the org refused the change. Fix the record (or the rule), then re-run apply.';
    case 'ENTITY_IS_DELETED':
      return 'The record was deleted since the plan was made; nothing to do.';
    case 'DUPLICATE_VALUE':
      return 'The record already exists (for a team member: the user is already on the team); nothing to do.';
    case 'UNABLE_TO_LOCK_ROW':
    case 'REQUEST_LIMIT_EXCEEDED':
    case 'UNPROCESSED':
      return 'The org stayed busy through every retry. Re-run apply later: only rows not yet moved are sent again.';
    default:
      return "See Salesforce's message; fix the cause and re-run apply: only rows not yet moved are sent again.";
  }
}

/** The delay before retry round `round` (1-based) of rows that failed for the moment, with jitter. */
export function retryRoundDelay(round: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (round - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}
