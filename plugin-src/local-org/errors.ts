/**
 * The error every part of the local org throws when Salesforce would answer with an error:
 * the REST layer turns it into `[{"message","errorCode","fields"}]` with `statusCode`,
 * Bulk API into an `sf__Error` cell (`CODE:message:--`).
 */
export class SalesforceError extends Error {
  public constructor(
    public errorCode: string,
    message: string,
    public fields: string[] = [],
    public statusCode = 400
  ) {
    super(message);
    this.name = 'SalesforceError';
  }

  /** The REST error body element. */
  public toJSON(): { message: string; errorCode: string; fields: string[] } {
    return { message: this.message, errorCode: this.errorCode, fields: this.fields };
  }
}

export function isSalesforceError(e: unknown): e is SalesforceError {
  return e instanceof SalesforceError;
}
