/**
 * The local Salesforce org: an HTTP server on 127.0.0.1 that speaks the REST API and Bulk
 * API 2.0 the way jsforce, @salesforce/core and the sf CLI expect, over the in-memory
 * Database. Started by `npm run local-org` (cli.ts) or in-process by tests (withLocalOrg).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ZodError } from 'zod';
import { Database } from './database.js';
import { loadForceApp, standardSchema } from './schema.js';
import { ensureOrgRecords, newAccessToken, newOrgId } from './auth.js';
import { FaultController, type FaultConfig } from './faults.js';
import { DEFAULT_LIMITS, QueryCursors, Stats, type Limits, type OrgContext } from './http/context.js';
import { delay, errorReply, fromError, json, normalisePath, Router, type Reply, type Request } from './http/kit.js';
import { registerRest } from './http/rest.js';
import { registerUiApi } from './ui-api/index.js';
import { IngestJobs } from './bulk/ingest.js';
import { QueryJobs } from './bulk/query.js';
import { loadSnapshot, readSnapshotMeta, saveSnapshot } from './persistence.js';
import { MetadataApi, MetadataStore, replayDeploys } from './metadata-api/index.js';
import { seedScenario, type SeedSummary } from './seed/index.js';

export type { FaultConfig } from './faults.js';
export { FaultController } from './faults.js';

export interface LocalOrgOptions {
  /** 0 (default) lets the OS choose a free port. */
  port?: number;
  /** A seed scenario (`demo`, `scale:N`, a scenario JSON file), applied to an empty org. */
  seed?: string;
  faults?: FaultConfig;
  /** Persist the org here (snapshot on close, loaded at start). */
  dataDir?: string;
  /** Where force-app lives (default: the project's force-app). */
  forceAppDir?: string;
  /** `force-app` (default): standard objects plus our metadata; `standard`: standard objects only. */
  schema?: 'force-app' | 'standard';
  /** Override Salesforce's limits (e.g. a small upload limit in a test). */
  limits?: Partial<Limits>;
  /** Called with one line per notable event (start, seed, snapshot); default: silent. */
  log?: (line: string) => void;
}

export interface LocalOrg {
  instanceUrl: string;
  accessToken: string;
  username: string;
  orgId: string;
  userId: string;
  db: Database;
  faults: FaultController;
  stats: Stats;
  /** What `seed` loaded (ids of the demo users, counts), when the org was seeded at start. */
  seed?: SeedSummary;
  /** The Metadata API (deploys, stored components). */
  metadata: MetadataApi;
  close(): Promise<void>;
}

const JSON_BODY_LIMIT = 64 * 1024 * 1024;

export function defaultForceAppDir(): string {
  return fileURLToPath(new URL('../../force-app', import.meta.url));
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      if (!over) chunks.push(c);
    });
    req.on('end', () => {
      if (over) reject(Object.assign(new Error(`The request body exceeds ${limit} bytes`), { tooLarge: true }));
      else resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

function seed(db: Database, scenario: string, log: (line: string) => void): SeedSummary {
  let last = Date.now();
  return seedScenario(db, scenario, {
    onProgress: ({ loaded }) => {
      if (Date.now() - last < 2000) return;
      last = Date.now();
      log(`seeding ${scenario}: ${Object.entries(loaded).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    }
  });
}

export async function startLocalOrg(opts: LocalOrgOptions = {}): Promise<LocalOrg> {
  const log = opts.log ?? (() => undefined);
  const schema = standardSchema();
  if ((opts.schema ?? 'force-app') === 'force-app') {
    const dir = opts.forceAppDir ?? defaultForceAppDir();
    if (existsSync(dir)) await loadForceApp(dir, schema);
  }
  const saved = opts.dataDir ? await readSnapshotMeta(opts.dataDir) : undefined;
  const orgId = saved?.orgId ?? newOrgId();
  const db = new Database(schema, { orgId });
  // deploys kept in the data dir rebuild the schema they made before the snapshot loads
  const metadataStore = new MetadataStore();
  if (opts.dataDir) await replayDeploys(opts.dataDir, db, metadataStore, { records: !saved });
  let seeded: SeedSummary | undefined;
  if (saved && opts.dataDir) {
    const n = await loadSnapshot(opts.dataDir, db);
    log(`loaded ${n} records from ${opts.dataDir}`);
  } else if (opts.seed) {
    seeded = seed(db, opts.seed, log);
    log(`seeded scenario ${opts.seed} in ${seeded.durationMs} ms: ${JSON.stringify(seeded.counts)}`);
  }
  const { userId, username } = ensureOrgRecords(db);
  const accessToken = saved?.accessToken ?? newAccessToken(orgId);
  const faults = new FaultController(opts.faults ?? {});
  const ctx: OrgContext = {
    db,
    identity: { orgId, userId, username, accessToken },
    faults,
    stats: new Stats(),
    cursors: new QueryCursors(),
    limits: { ...DEFAULT_LIMITS, ...opts.limits },
    instanceUrl: ''
  };

  const router = new Router();
  registerUiApi(router, ctx);
  registerRest(router, ctx);
  new IngestJobs(ctx).register(router);
  new QueryJobs(ctx).register(router);
  const metadataApi = new MetadataApi(ctx, { dataDir: opts.dataDir, store: metadataStore });
  metadataApi.register(router);

  const run = async (request: Request): Promise<{ name: string; reply: Reply }> => {
    const found = router.match(request.method, request.path);
    if ('status' in found) {
      return {
        name: found.status === 405 ? 'method-not-allowed' : 'not-found',
        reply:
          found.status === 405
            ? errorReply(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${request.method}' not allowed. Allowed are other methods`)
            : errorReply(404, 'NOT_FOUND', 'The requested resource does not exist')
      };
    }
    request.params = found.params;
    try {
      return { name: found.route.name, reply: await found.route.handler(request) };
    } catch (e) {
      if ((e as { tooLarge?: boolean }).tooLarge) return { name: found.route.name, reply: errorReply(413, 'REQUEST_ENTITY_TOO_LARGE', (e as Error).message) };
      return { name: found.route.name, reply: fromError(e) };
    }
  };

  ctx.dispatch = async (method, url, body, headers) => {
    const { path, query } = normalisePath(url);
    const buf = Buffer.from(body === undefined || body === null ? '' : typeof body === 'string' ? body : JSON.stringify(body));
    const request: Request = {
      method,
      path,
      query,
      headers: { 'content-type': 'application/json', ...Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])) },
      params: {},
      body: () => Promise.resolve(buf),
      json: () => Promise.resolve(JSON.parse(buf.toString('utf8')) as unknown)
    };
    const { name, reply } = await run(request);
    ctx.stats.count(`composite:${name}`, reply.status);
    let out: unknown = reply.body;
    if (reply.stream) {
      const parts: Buffer[] = [];
      for await (const c of reply.stream) parts.push(Buffer.from(c as string));
      out = Buffer.concat(parts).toString('utf8');
    } else if (reply.text !== undefined) out = reply.text;
    return { status: reply.status, body: out ?? null, headers: reply.headers ?? {} };
  };

  const admin = async (request: Request): Promise<Reply> => {
    if (request.path === '/__local/stats' && request.method === 'GET') {
      const records: Record<string, number> = {};
      for (const def of db.schema.objects.values()) {
        const n = db.count(def.name);
        if (n > 0) records[def.name] = n;
      }
      return json(200, {
        startedAt: ctx.stats.startedAt,
        requests: ctx.stats.requests,
        statuses: ctx.stats.statuses,
        bulkRowsProcessed: ctx.stats.bulkRowsProcessed,
        bulkRowsFailed: ctx.stats.bulkRowsFailed,
        faults: faults.current,
        records,
        rssBytes: process.memoryUsage().rss,
        cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000)
      });
    }
    if (request.path === '/__local/faults' && request.method === 'GET') return json(200, faults.current);
    if (request.path === '/__local/faults' && request.method === 'POST') {
      try {
        faults.set((await request.json()) as FaultConfig);
      } catch (e) {
        const message = e instanceof ZodError ? e.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') : (e as Error).message;
        return errorReply(400, 'INVALID_FAULT_CONFIG', message);
      }
      return json(200, faults.current);
    }
    if (request.path === '/__local/seed' && request.method === 'POST') {
      // Seeding after start: an org started with only the standard objects gets its data once a
      // deploy (e.g. `sf project deploy start`) has brought the Channel Ops schema in.
      const body = (await request.json().catch(() => ({}))) as { scenario?: unknown };
      if (typeof body.scenario !== 'string' || body.scenario.length === 0) {
        return errorReply(400, 'INVALID_SEED', 'Send {"scenario": "demo" | "scale:N" | "<scenario JSON>"}.');
      }
      try {
        const summary = seed(db, body.scenario, log);
        log(`seeded scenario ${body.scenario} in ${summary.durationMs} ms: ${JSON.stringify(summary.counts)}`);
        return json(200, { scenario: body.scenario, counts: summary.counts, durationMs: summary.durationMs });
      } catch (e) {
        return errorReply(400, 'INVALID_SEED', (e as Error).message);
      }
    }
    return errorReply(404, 'NOT_FOUND', 'The requested resource does not exist');
  };

  const tokenOf = (req: IncomingMessage): string | undefined => {
    const m = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''));
    return m?.[1];
  };

  let apiCalls = 0;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { path, query } = normalisePath(req.url ?? '/');
    const method = (req.method ?? 'GET').toUpperCase();
    let cached: Promise<Buffer> | undefined;
    const request: Request = {
      method,
      path,
      query,
      headers: req.headers,
      params: {},
      raw: req,
      body: () => (cached ??= readBody(req, JSON_BODY_LIMIT)),
      json: async () => JSON.parse((await request.body()).toString('utf8')) as unknown
    };
    let name = 'unauthenticated';
    let reply: Reply;
    const session = errorReply(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    if (metadataApi.isSoap(path)) {
      // the Metadata API's SOAP endpoint authenticates by the session id in the envelope
      name = 'metadata-soap';
      reply = await metadataApi.soap(request);
    } else if (tokenOf(req) !== accessToken) {
      reply = session;
    } else if (path.startsWith('/__local/')) {
      name = 'admin';
      reply = await admin(request);
    } else if (faults.countRequestAndCheckExpired()) {
      name = 'session-expired';
      reply = session;
    } else {
      if (faults.latencyMs > 0) await delay(faults.latencyMs);
      if (faults.requestLimited()) {
        name = 'request-limited';
        reply = errorReply(503, 'REQUEST_LIMIT_EXCEEDED', 'ConcurrentRequests (Concurrent API Requests) Limit exceeded.');
      } else {
        ({ name, reply } = await run(request));
      }
    }
    ctx.stats.count(name, reply.status);
    if (path.startsWith('/services/data/')) {
      apiCalls++;
      reply.headers = { ...reply.headers, 'Sforce-Limit-Info': `api-usage=${apiCalls}/5000000` };
    }
    if (!req.readableEnded && !cached && reply.status >= 400) req.resume();
    send(res, reply, method);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, fromError(e), req.method ?? 'GET');
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const instanceUrl = `http://127.0.0.1:${port}`;
  ctx.instanceUrl = instanceUrl;
  log(`local org ${orgId} listening on ${instanceUrl} as ${username}`);

  let closed = false;
  return {
    instanceUrl,
    accessToken,
    username,
    orgId,
    userId,
    db,
    faults,
    stats: ctx.stats,
    metadata: metadataApi,
    seed: seeded,
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (opts.dataDir) {
        const n = await saveSnapshot(opts.dataDir, db, { orgId, accessToken });
        log(`saved ${n} records to ${opts.dataDir}`);
      }
    }
  };
}

function send(res: ServerResponse, reply: Reply, method: string): void {
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.status === 204) {
    res.writeHead(204, headers);
    res.end();
    return;
  }
  if (reply.stream) {
    res.writeHead(reply.status, { 'Content-Type': 'text/csv', ...headers });
    if (method === 'HEAD') {
      reply.stream.destroy();
      res.end();
      return;
    }
    reply.stream.on('error', () => res.destroy());
    reply.stream.pipe(res);
    return;
  }
  let payload: string;
  if (reply.text !== undefined) {
    payload = reply.text;
    if (!headers['Content-Type'] && payload) headers['Content-Type'] = 'text/plain;charset=UTF-8';
  } else if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body);
    headers['Content-Type'] = headers['Content-Type'] ?? 'application/json;charset=UTF-8';
  } else {
    payload = '';
  }
  headers['Content-Length'] = String(Buffer.byteLength(payload));
  res.writeHead(reply.status, headers);
  res.end(method === 'HEAD' ? undefined : payload);
}
