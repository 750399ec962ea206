/**
 * SOAP envelopes of the Metadata API (`/services/Soap/m/XX.X`): read a request (session id,
 * operation, arguments) and write a response or a fault the way Salesforce does, so jsforce
 * (the sf CLI's client) finds `soapenv:Envelope/soapenv:Body/<op>Response/result`.
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';

export const METADATA_NS = 'http://soap.sforce.com/2006/04/metadata';

export interface SoapCall {
  sessionId?: string;
  operation: string;
  args: Record<string, unknown>;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  // large base64 ZipFile values must stay as they are
  processEntities: true
});

const builder = new XMLBuilder({
  ignoreAttributes: true,
  suppressEmptyNode: false,
  processEntities: true,
  format: false
});

export class SoapFault extends Error {
  public constructor(
    public readonly faultcode: string,
    message: string,
    public readonly status = 500
  ) {
    super(message);
    this.name = 'SoapFault';
  }
}

/** Parses a SOAP request; a body that is not a SOAP envelope is a client fault. */
export function parseSoapCall(body: string): SoapCall {
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(body) as Record<string, unknown>;
  } catch (e) {
    throw new SoapFault('soapenv:Client', `Could not parse the SOAP request: ${(e as Error).message}`);
  }
  const envelope = doc.Envelope as Record<string, unknown> | undefined;
  const soapBody = envelope?.Body as Record<string, unknown> | undefined;
  if (!envelope || !soapBody || typeof soapBody !== 'object')
    throw new SoapFault(
      'soapenv:Client',
      'Element {http://schemas.xmlsoap.org/soap/envelope/}Envelope/Body expected'
    );
  const operation = Object.keys(soapBody).find((k) => !k.startsWith('#') && !k.startsWith('?'));
  if (!operation) throw new SoapFault('soapenv:Client', 'The SOAP body names no operation');
  const header = envelope.Header as Record<string, unknown> | undefined;
  const session = header?.SessionHeader as Record<string, unknown> | undefined;
  const args = soapBody[operation];
  return {
    sessionId: typeof session?.sessionId === 'string' ? session.sessionId : undefined,
    operation,
    args: args && typeof args === 'object' ? (args as Record<string, unknown>) : {}
  };
}

function envelope(inner: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="${METADATA_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>${inner}</soapenv:Body></soapenv:Envelope>`;
}

/** Drops undefined values (an absent element), keeps arrays as repeated elements. */
function clean(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clean);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined && v !== null) out[k] = clean(v);
    return out;
  }
  return value;
}

/** `<opResponse><result>...</result></opResponse>`; an array result repeats `<result>`. */
export function soapResponse(operation: string, result: unknown): string {
  return envelope(
    `<${operation}Response>${builder.build({ result: clean(result) }) as string}</${operation}Response>`
  );
}

export function soapFault(fault: SoapFault): string {
  return envelope(
    `<soapenv:Fault>${builder.build({ faultcode: fault.faultcode, faultstring: fault.message }) as string}</soapenv:Fault>`
  );
}
