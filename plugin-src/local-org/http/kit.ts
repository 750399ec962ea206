/**
 * The small HTTP toolkit of the local org: a regex router, replies as values (so that
 * `composite` can run sub-requests through the same handlers), Salesforce error bodies.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { SalesforceError } from '../errors.js';

export interface Request {
  method: string;
  /** Path with leading slashes collapsed to one (the sf CLI sends `//services/data`). */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  params: Record<string, string>;
  /** The request body; read once and cached. */
  body(): Promise<Buffer>;
  json(): Promise<unknown>;
  /** The underlying message, for streaming uploads; absent on composite sub-requests. */
  raw?: IncomingMessage;
}

export interface Reply {
  status: number;
  /** Serialised as JSON unless `text` or `stream` is set. */
  body?: unknown;
  text?: string;
  stream?: Readable;
  headers?: Record<string, string>;
}

export type Handler = (req: Request) => Promise<Reply> | Reply;

export interface Route {
  method: string;
  pattern: RegExp;
  /** Stable route name for /__local/stats. */
  name: string;
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  public add(method: string, pattern: RegExp, name: string, handler: Handler): this {
    this.routes.push({ method, pattern, name, handler });
    return this;
  }

  /** The matching route and its named groups, or why nothing matched (404 / 405). */
  public match(method: string, path: string): { route: Route; params: Record<string, string> } | { status: 404 | 405 } {
    let pathMatched = false;
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== method && !(route.method === 'GET' && method === 'HEAD')) continue;
      const params: Record<string, string> = {};
      for (const [k, v] of Object.entries(m.groups ?? {})) if (v !== undefined) params[k] = decodeURIComponent(v);
      return { route, params };
    }
    return { status: pathMatched ? 405 : 404 };
  }
}

export function json(status: number, body: unknown, headers?: Record<string, string>): Reply {
  return { status, body, headers };
}

export function noContent(): Reply {
  return { status: 204 };
}

/** Salesforce's REST error body: `[{"message","errorCode","fields"?}]`. */
export function errorReply(status: number, errorCode: string, message: string, fields?: string[]): Reply {
  const element: Record<string, unknown> = { message, errorCode };
  if (fields) element.fields = fields;
  return { status, body: [element] };
}

export function notFound(): Reply {
  return errorReply(404, 'NOT_FOUND', 'The requested resource does not exist');
}

export function fromError(e: unknown): Reply {
  if (e instanceof SalesforceError) {
    return errorReply(e.statusCode, e.errorCode, e.message, e.fields.length ? e.fields : undefined);
  }
  if (e instanceof SyntaxError) return errorReply(400, 'JSON_PARSER_ERROR', `The request body is not valid JSON: ${e.message}`);
  const message = e instanceof Error ? e.message : String(e);
  return errorReply(500, 'UNKNOWN_EXCEPTION', `An unexpected error occurred: ${message}`);
}

/** Splits `a/b//c` style paths: collapses leading slashes, drops a trailing one (except root). */
export function normalisePath(rawUrl: string): { path: string; query: URLSearchParams } {
  const q = rawUrl.indexOf('?');
  let path = q >= 0 ? rawUrl.slice(0, q) : rawUrl;
  const search = q >= 0 ? rawUrl.slice(q + 1) : '';
  path = path.replace(/^\/+/, '/').replace(/\/{2,}/g, '/');
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return { path, query: new URLSearchParams(search) };
}

export function requireJsonContent(req: Request): void {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type && !type.startsWith('application/json') && !type.startsWith('text/plain')) {
    throw new SalesforceError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Content-Type header specified in HTTP request is not supported: ${type}`,
      [],
      415
    );
  }
}

export async function readJsonObject(req: Request): Promise<Record<string, unknown>> {
  requireJsonContent(req);
  const buf = await req.body();
  if (buf.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(buf.toString('utf8'));
  } catch (e) {
    throw new SalesforceError('JSON_PARSER_ERROR', `The request body is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SalesforceError('JSON_PARSER_ERROR', 'The request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
