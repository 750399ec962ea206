/**
 * The local org's Metadata API: what `sf project deploy start` / `deploy report` / `org list
 * metadata` talk to.
 *
 * - SOAP (the CLI's default): `POST /services/Soap/m/XX.X` with `deploy` (base64 zip +
 *   DeployOptions), then `checkDeployStatus` polls; also `cancelDeploy`, `listMetadata`,
 *   `describeMetadata`. The session id travels in the SOAP header, not in Authorization.
 * - REST (`SF_ORG_METADATA_REST_DEPLOY=true`): `POST /services/data/vXX.X/metadata/deployRequest`
 *   (multipart: `file` zip + `entity_content` JSON) and `GET .../deployRequest/{id}?includeDetails=true`.
 *
 * Deploys run one at a time in a queue with async ids `0Af...`: Pending → InProgress →
 * Succeeded / Failed (all or nothing, see deploy.ts) or Canceled.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeId } from '../../domain/ids.js';
import type { Database } from '../database.js';
import type { OrgContext } from '../http/context.js';
import { errorReply, json, type Reply, type Request, type Router } from '../http/kit.js';
import { planDeploy } from './deploy.js';
import { readDeployZip, ZipError } from './package.js';
import { parseSoapCall, soapFault, soapResponse, SoapFault } from './soap.js';
import { MetadataStore } from './store.js';
import { DeployOptionsSchema, type DeployOptions, type DeployResult } from './types.js';

export { MetadataStore } from './store.js';
export type { DeployResult, DeployMessage, DeployOptions } from './types.js';

interface DeployJob {
  result: DeployResult;
  zip: Buffer;
  options: DeployOptions;
  cancelRequested: boolean;
}

const SOAP_PATH = /^\/services\/Soap\/m\/(\d+\.\d+)(?:\/[^/]+)?$/;
const V = '/services/data/v(?<version>\\d+\\.\\d+)';

/** Where applied deploys are kept under `--data-dir`, replayed at start (the schema they built is not in the snapshot). */
export const DEPLOYS_DIR = 'deploys';

/**
 * Re-applies the deploys kept in `dataDir` (oldest first) to a fresh database: the schema and
 * stored components always, the PermissionSet/StaticResource records only when `records`
 * (i.e. when no snapshot will bring them). Returns how many deploys were replayed.
 */
export async function replayDeploys(
  dataDir: string,
  db: Database,
  store: MetadataStore,
  opts: { records: boolean }
): Promise<number> {
  let files: string[];
  try {
    files = (await readdir(join(dataDir, DEPLOYS_DIR))).filter((f) => f.endsWith('.zip')).sort();
  } catch {
    return 0;
  }
  for (const f of files) {
    const plan = planDeploy(readDeployZip(await readFile(join(dataDir, DEPLOYS_DIR, f))), {
      db,
      store,
      userId: '',
      now: new Date()
    });
    if (plan.failures.length)
      throw new Error(
        `${f} no longer deploys: ${plan.failures.map((m) => `${m.fullName}: ${m.problem}`).join('; ')}`
      );
    plan.commit({ records: opts.records });
  }
  return files.length;
}

export interface MetadataApiOptions {
  /** Keep applied deploys here (`--data-dir`), see replayDeploys. */
  dataDir?: string;
  /** The store, when deploys were replayed into one at start. */
  store?: MetadataStore;
  /** Delay before a queued deploy starts (lets clients see Pending/InProgress as with Salesforce). */
  startDelayMs?: number;
}

export class MetadataApi {
  public readonly store: MetadataStore;
  private readonly jobs = new Map<string, DeployJob>();
  private readonly queue: DeployJob[] = [];
  private running = false;
  private seq = 0;
  private readonly startDelayMs: number;

  public constructor(
    private readonly ctx: OrgContext,
    private readonly opts: MetadataApiOptions = {}
  ) {
    this.store = opts.store ?? new MetadataStore();
    this.startDelayMs = opts.startDelayMs ?? 20;
  }

  /** True for the SOAP endpoint, which authenticates by the session id in the envelope. */
  public isSoap(path: string): boolean {
    return SOAP_PATH.test(path);
  }

  /** REST routes (Bearer-authenticated like the rest of the API). */
  public register(router: Router): void {
    router
      .add('POST', new RegExp(`^${V}/metadata/deployRequest$`), 'metadataDeployRequest', (req) =>
        this.restDeploy(req)
      )
      .add(
        'GET',
        new RegExp(`^${V}/metadata/deployRequest/(?<id>[a-zA-Z0-9]{15,18})$`),
        'metadataDeployRequestStatus',
        (req) => this.restStatus(req)
      )
      .add(
        'PATCH',
        new RegExp(`^${V}/metadata/deployRequest/(?<id>[a-zA-Z0-9]{15,18})$`),
        'metadataDeployRequestCancel',
        (req) => this.restCancel(req)
      );
  }

  /** A deploy's current result (tests and `checkDeployStatus`). */
  public deployResult(id: string, includeDetails = true): DeployResult | undefined {
    const job =
      this.jobs.get(id) ??
      this.jobs.get([...this.jobs.keys()].find((k) => k.slice(0, 15) === id.slice(0, 15)) ?? '');
    if (!job) return undefined;
    return includeDetails
      ? job.result
      : {
          ...job.result,
          details: {
            componentSuccesses: [],
            componentFailures: [],
            runTestResult: job.result.details.runTestResult
          }
        };
  }

  /** Queues a deploy of a Metadata API zip; returns its id at once. */
  public startDeploy(zip: Buffer, rawOptions: unknown): DeployResult {
    const options = DeployOptionsSchema.parse(rawOptions ?? {});
    const now = new Date().toISOString();
    const id = makeId('0Af', ++this.seq, 'LOC');
    const user = this.ctx.db.retrieve('User', this.ctx.identity.userId, ['Name']);
    const result: DeployResult = {
      id,
      checkOnly: options.checkOnly ?? false,
      createdBy: this.ctx.identity.userId.slice(0, 15),
      createdByName: String(user?.Name ?? this.ctx.identity.username),
      createdDate: now,
      details: {
        componentSuccesses: [],
        componentFailures: [],
        runTestResult: { numFailures: 0, numTestsRun: 0, totalTime: 0 }
      },
      done: false,
      ignoreWarnings: options.ignoreWarnings ?? false,
      lastModifiedDate: now,
      numberComponentErrors: 0,
      numberComponentsDeployed: 0,
      numberComponentsTotal: 0,
      numberTestErrors: 0,
      numberTestsCompleted: 0,
      numberTestsTotal: 0,
      rollbackOnError: options.rollbackOnError ?? true,
      runTestsEnabled: options.testLevel !== undefined && options.testLevel !== 'NoTestRun',
      status: 'Pending',
      success: false
    };
    const job: DeployJob = { result, zip, options, cancelRequested: false };
    this.jobs.set(id, job);
    this.queue.push(job);
    this.pump();
    return result;
  }

  public cancel(id: string): DeployResult | undefined {
    const job = this.jobs.get(id);
    if (!job) return undefined;
    if (!job.result.done) {
      job.cancelRequested = true;
      if (job.result.status === 'Pending') {
        this.queue.splice(this.queue.indexOf(job), 1);
        this.finish(job, { status: 'Canceled', success: false });
      } else job.result.status = 'Canceling';
    }
    return job.result;
  }

  private pump(): void {
    if (this.running) return;
    const job = this.queue.shift();
    if (!job) return;
    this.running = true;
    setTimeout(() => {
      job.result.status = 'InProgress';
      job.result.startDate = new Date().toISOString();
      job.result.lastModifiedDate = job.result.startDate;
      setTimeout(() => {
        try {
          this.run(job);
        } catch (e) {
          this.finish(job, {
            status: 'Failed',
            success: false,
            errorStatusCode: 'UNKNOWN_EXCEPTION',
            errorMessage: `An unexpected error occurred: ${(e as Error).message}`
          });
        } finally {
          this.running = false;
          this.pump();
        }
      }, this.startDelayMs);
    }, this.startDelayMs);
  }

  private run(job: DeployJob): void {
    if (job.cancelRequested) {
      this.finish(job, { status: 'Canceled', success: false });
      return;
    }
    let pkg;
    try {
      pkg = readDeployZip(job.zip);
    } catch (e) {
      if (e instanceof ZipError) {
        this.finish(job, {
          status: 'Failed',
          success: false,
          errorStatusCode: 'INVALID_CROSS_REFERENCE_KEY',
          errorMessage: e.message
        });
        return;
      }
      throw e;
    }
    const plan = planDeploy(pkg, {
      db: this.ctx.db,
      store: this.store,
      userId: this.ctx.identity.userId,
      now: new Date()
    });
    const r = job.result;
    r.details.componentSuccesses = plan.successes;
    r.details.componentFailures = plan.failures;
    r.numberComponentsTotal = plan.successes.length + plan.failures.length;
    r.numberComponentErrors = plan.failures.length;
    r.numberComponentsDeployed = plan.successes.length;
    const ok = plan.failures.length === 0;
    if (ok && !job.options.checkOnly) {
      plan.commit();
      if (this.opts.dataDir) {
        const dir = join(this.opts.dataDir, DEPLOYS_DIR);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${r.id}.zip`), job.zip);
      }
    }
    this.finish(job, { status: ok ? 'Succeeded' : 'Failed', success: ok });
  }

  private finish(job: DeployJob, patch: Partial<DeployResult>): void {
    const now = new Date().toISOString();
    Object.assign(job.result, patch, { done: true, completedDate: now, lastModifiedDate: now });
    // a successful validation can be quick-deployed (deployRecentValidation): keep its zip
    if (!(job.result.checkOnly && job.result.success)) job.zip = Buffer.alloc(0);
  }

  /**
   * Quick deploy (`sf project deploy quick`): deploys what a successful check-only deploy
   * validated, as a new deploy (still checked again against the org as it is now).
   */
  public deployRecentValidation(validationId: string): DeployResult | undefined {
    const validated = this.deployResult(validationId, false);
    const job = validated ? this.jobs.get(validated.id) : undefined;
    if (!job || !job.result.checkOnly || !job.result.success || !job.zip.length) return undefined;
    const r = this.startDeploy(job.zip, { ...job.options, checkOnly: false });
    job.zip = Buffer.alloc(0); // a validation is quick-deployed once
    return r;
  }

  // ------------------------------------------------------------------ SOAP

  public async soap(req: Request): Promise<Reply> {
    const xml = (status: number, text: string): Reply => ({
      status,
      text,
      headers: { 'Content-Type': 'text/xml;charset=UTF-8' }
    });
    try {
      if (req.method !== 'POST')
        throw new SoapFault('soapenv:Client', 'The Metadata API accepts POST only', 405);
      const call = parseSoapCall((await req.body()).toString('utf8'));
      if (call.sessionId !== this.ctx.identity.accessToken) {
        throw new SoapFault(
          'sf:INVALID_SESSION_ID',
          'INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session'
        );
      }
      return xml(200, soapResponse(call.operation, this.soapOperation(call.operation, call.args)));
    } catch (e) {
      const fault =
        e instanceof SoapFault
          ? e
          : new SoapFault('sf:UNKNOWN_EXCEPTION', `UNKNOWN_EXCEPTION: ${(e as Error).message}`);
      return xml(fault.status, soapFault(fault));
    }
  }

  private soapOperation(operation: string, args: Record<string, unknown>): unknown {
    switch (operation) {
      case 'deploy': {
        const zip = typeof args.ZipFile === 'string' ? Buffer.from(args.ZipFile, 'base64') : undefined;
        if (!zip?.length)
          throw new SoapFault(
            'sf:INVALID_CROSS_REFERENCE_KEY',
            'INVALID_CROSS_REFERENCE_KEY: no ZipFile in the deploy request'
          );
        const options = DeployOptionsSchema.safeParse(args.DeployOptions ?? {});
        if (!options.success)
          throw new SoapFault(
            'soapenv:Client',
            `Invalid DeployOptions: ${options.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`
          );
        const r = this.startDeploy(zip, options.data);
        return { done: false, id: r.id, state: 'Queued' };
      }
      case 'checkDeployStatus': {
        const id = String(args.asyncProcessId ?? '');
        const r = this.deployResult(id, String(args.includeDetails) === 'true');
        if (!r)
          throw new SoapFault('sf:INVALID_ID_FIELD', `INVALID_ID_FIELD: Invalid or expired deploy id ${id}`);
        return r;
      }
      case 'deployRecentValidation': {
        const id = String(args.validationId ?? '');
        const r = this.deployRecentValidation(id);
        if (!r)
          throw new SoapFault(
            'sf:INVALID_ID_FIELD',
            `INVALID_ID_FIELD: ${id} is not a successful validation that can be quick deployed`
          );
        return r.id;
      }
      case 'cancelDeploy': {
        const r = this.cancel(String(args.String ?? args.id ?? ''));
        if (!r) throw new SoapFault('sf:INVALID_ID_FIELD', 'INVALID_ID_FIELD: Invalid deploy id');
        return { done: r.done, id: r.id };
      }
      case 'listMetadata': {
        const queries = Array.isArray(args.queries) ? args.queries : args.queries ? [args.queries] : [];
        return queries.flatMap((q) => this.listMetadata(String((q as Record<string, unknown>).type ?? '')));
      }
      case 'describeMetadata':
        return {
          metadataObjects: this.store
            .types()
            .map((t) => ({ xmlName: t, inFolder: false, metaFile: false, childXmlNames: [] })),
          organizationNamespace: '',
          partialSaveAllowed: true,
          testRequired: false
        };
      default:
        throw new SoapFault(
          'sf:INVALID_OPERATION',
          `INVALID_OPERATION: the local org does not implement the Metadata API call ${operation}`
        );
    }
  }

  /** FileProperties of stored components of a type (`sf org list metadata -m LightningComponentBundle`). */
  public listMetadata(type: string): Record<string, unknown>[] {
    const user = this.ctx.db.retrieve('User', this.ctx.identity.userId, ['Name']);
    return this.store.list(type).map((c) => ({
      createdById: c.createdById.slice(0, 15),
      createdByName: String(user?.Name ?? ''),
      createdDate: c.createdDate,
      fileName: c.fileName,
      fullName: c.fullName,
      id: c.id,
      lastModifiedById: c.lastModifiedById.slice(0, 15),
      lastModifiedByName: String(user?.Name ?? ''),
      lastModifiedDate: c.lastModifiedDate,
      manageableState: 'unmanaged',
      type: c.type
    }));
  }

  // ------------------------------------------------------------------ REST

  private async restDeploy(req: Request): Promise<Reply> {
    const type = String(req.headers['content-type'] ?? '');
    if (type.toLowerCase().startsWith('application/json')) {
      // quick deploy: {"validatedDeployRequestId": "0Af..."}
      const body = (await req.json()) as { validatedDeployRequestId?: string };
      const r = this.deployRecentValidation(String(body.validatedDeployRequestId ?? ''));
      if (!r)
        return errorReply(
          400,
          'INVALID_ID_FIELD',
          `${body.validatedDeployRequestId} is not a successful validation that can be quick deployed`
        );
      return json(201, {
        id: r.id,
        validatedDeployRequestId: body.validatedDeployRequestId,
        deployResult: r,
        url: `${req.path}/${r.id}`
      });
    }
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(type);
    if (!type.toLowerCase().startsWith('multipart/form-data') || !boundary) {
      return errorReply(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'A deploy request is multipart/form-data with a file part and an entity_content part'
      );
    }
    const parts = parseMultipart(await req.body(), boundary[1] ?? boundary[2]);
    const file = parts.find((p) => p.name === 'file');
    if (!file) return errorReply(400, 'INVALID_INPUT', 'The deploy request has no file part');
    let options: unknown = {};
    const entity = parts.find((p) => p.name === 'entity_content');
    if (entity) {
      try {
        options =
          (JSON.parse(entity.body.toString('utf8')) as { deployOptions?: unknown }).deployOptions ?? {};
      } catch (e) {
        return errorReply(
          400,
          'JSON_PARSER_ERROR',
          `The entity_content part is not valid JSON: ${(e as Error).message}`
        );
      }
    }
    const parsed = DeployOptionsSchema.safeParse(options);
    if (!parsed.success)
      return errorReply(
        400,
        'INVALID_INPUT',
        parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
      );
    const r = this.startDeploy(file.body, parsed.data);
    return json(201, {
      id: r.id,
      validatedDeployRequestId: null,
      deployOptions: parsed.data,
      deployResult: r,
      url: `${req.path}/${r.id}`
    });
  }

  private restStatus(req: Request): Reply {
    const r = this.deployResult(req.params.id, req.query.get('includeDetails') === 'true');
    if (!r) return errorReply(404, 'NOT_FOUND', 'The requested resource does not exist');
    return json(200, {
      id: r.id,
      validatedDeployRequestId: null,
      deployOptions: this.jobs.get(r.id)?.options ?? {},
      deployResult: r
    });
  }

  private async restCancel(req: Request): Promise<Reply> {
    const body = (await req.json()) as { deployResult?: { status?: string } };
    if (body.deployResult?.status !== 'Canceling')
      return errorReply(
        400,
        'INVALID_INPUT',
        'Send {"deployResult":{"status":"Canceling"}} to cancel a deploy'
      );
    const r = this.cancel(req.params.id);
    if (!r) return errorReply(404, 'NOT_FOUND', 'The requested resource does not exist');
    return json(202, { id: r.id, deployResult: r });
  }
}

/** Minimal multipart/form-data reader: parts with their name and body. */
export function parseMultipart(
  body: Buffer,
  boundary: string
): { name?: string; filename?: string; contentType?: string; body: Buffer }[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const out: { name?: string; filename?: string; contentType?: string; body: Buffer }[] = [];
  let pos = body.indexOf(delimiter);
  while (pos >= 0) {
    const start = pos + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    const part = body.subarray(start + 2, next - 2); // skip CRLF after the delimiter and before the next
    const split = part.indexOf('\r\n\r\n');
    const head = part.subarray(0, split).toString('utf8');
    const content = part.subarray(split + 4);
    const disposition = /content-disposition:[^\r\n]*/i.exec(head)?.[0] ?? '';
    out.push({
      name: /name="([^"]*)"/i.exec(disposition)?.[1],
      filename: /filename="([^"]*)"/i.exec(disposition)?.[1],
      contentType: /content-type:\s*([^\r\n]+)/i.exec(head)?.[1],
      body: content
    });
    pos = next;
  }
  return out;
}
