/**
 * `npm run preview`: the local org (seeded, conflicts scanned) and a page server on 127.0.0.1
 * that serves Lightning record pages of our components: `/lightning/r/<Object>/<Id>/view`.
 * The browser talks to the org through the page server (same origin, like Lightning's
 * session), which adds the access token; the token never reaches the page.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, createReadStream } from 'node:fs';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Connection } from 'jsforce';
import { normalizeId } from '../domain/ids.js';
import { defaultForceAppDir, startLocalOrg, type LocalOrg } from '../local-org/server.js';
import type { Row } from '../local-org/database.js';
import type { ObjectDef } from '../local-org/schema.js';
import { scanConflicts } from '../conflicts/scan.js';
import { buildPreviewBundle, runtimeDir } from './build.js';
import { isVisible, readRecordPages, visibilityFields, type RecordPage } from './flexipage.js';

export interface PreviewOptions {
  /** Page server port (0: chosen by the OS). */
  port?: number;
  /** Local org port (0: chosen by the OS). */
  orgPort?: number;
  /** Seed scenario of the local org (default `demo`). */
  seed?: string;
  forceAppDir?: string;
  /** Run `channel conflicts scan --write` once at start, so the seeded conflicts are in the org (default true). */
  scanConflicts?: boolean;
  /** Where built bundles are cached between runs (default node_modules/.cache/channel-ops-preview). */
  cacheDir?: string;
  log?: (line: string) => void;
}

export interface Preview {
  url: string;
  org: LocalOrg;
  /** Bundle build time (0 when read from the cache). */
  buildMs: number;
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);
const NODE_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url));
const API_VERSION = '65.0';

function packageDir(name: string): string {
  const dir = join(NODE_MODULES, name);
  return existsSync(dir) ? dir : dirname(require.resolve(name));
}

const escapeHtml = (s: unknown): string =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A hash of everything the bundle is built from: a changed component or runtime rebuilds it. */
function bundleKey(forceAppDir: string): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (name === '__tests__') continue;
      if (statSync(p).isDirectory()) walk(p);
      else hash.update(p).update(readFileSync(p));
    }
  };
  walk(join(forceAppDir, 'main', 'default', 'lwc'));
  walk(runtimeDir());
  hash.update(readFileSync(fileURLToPath(new URL('../../plugin-src/preview/build.ts', import.meta.url))));
  for (const pkg of ['lwc', '@lwc/rollup-plugin', 'lightning-base-components']) {
    const manifest = join(NODE_MODULES, pkg, 'package.json');
    hash.update(pkg).update(existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version : 'missing');
  }
  return hash.digest('hex').slice(0, 20);
}

async function bundleFor(forceAppDir: string, cacheDir: string, log: (l: string) => void): Promise<{ code: string; buildMs: number }> {
  const file = join(cacheDir, `bundle-${bundleKey(forceAppDir)}.js`);
  if (existsSync(file)) return { code: readFileSync(file, 'utf8'), buildMs: 0 };
  log('building the components (lwc compiler, base components)...');
  const built = await buildPreviewBundle({ forceAppDir });
  mkdirSync(cacheDir, { recursive: true });
  // keep only the bundle of the current sources
  for (const old of readdirSync(cacheDir)) if (/^bundle-.*\.js$/.test(old)) rmSync(join(cacheDir, old), { force: true });
  writeFileSync(file, built.code);
  log(`built ${built.components.join(', ')} in ${built.durationMs} ms`);
  return { code: built.code, buildMs: built.durationMs };
}

const ICONS: Record<string, string> = {
  Account: 'standard:account',
  Opportunity: 'standard:opportunity',
  Contact: 'standard:contact',
  Case: 'standard:case',
  User: 'standard:user',
  Channel_Conflict__c: 'standard:partners',
  MDF_Budget__c: 'standard:partner_fund_allocation'
};

function icon(name: string, size = ''): string {
  const [category, symbol] = name.split(':');
  return `<span class="slds-icon_container slds-icon-${category}-${symbol.replace(/_/g, '-')}"><svg class="slds-icon${size ? ` slds-icon_${size}` : ''}" aria-hidden="true"><use href="/assets/icons/${category}-sprite/svg/symbols.svg#${symbol}"></use></svg></span>`;
}

function recordName(def: ObjectDef, row: Row): string {
  return String(row.Name ?? row.CaseNumber ?? row.Subject ?? row.Id);
}

const DETAIL_SKIP = new Set(['Id', 'IsDeleted', 'SystemModstamp', 'CreatedById', 'LastModifiedById', 'CreatedDate', 'LastModifiedDate', 'OwnerId', 'Name', 'MasterRecordId', 'LastActivityDate', 'PhotoUrl', 'Jigsaw', 'JigsawCompanyId']);

/** The record's filled fields, like the Details tab (force:detailPanel). */
function details(def: ObjectDef, row: Row): string {
  const items: string[] = [];
  for (const f of def.fields.values()) {
    if (DETAIL_SKIP.has(f.name) || f.type === 'reference' || f.type === 'address' || f.type === 'textarea') continue;
    const v = row[f.name];
    if (v === null || v === undefined || v === '' || v === false) continue;
    items.push(
      `<div class="slds-col slds-size_1-of-1 slds-medium-size_1-of-2 slds-p-bottom_x-small"><div class="slds-form-element slds-form-element_readonly"><span class="slds-form-element__label">${escapeHtml(f.label)}</span><div class="slds-form-element__control"><div class="slds-form-element__static">${escapeHtml(v === true ? 'Yes' : v)}</div></div></div></div>`
    );
    if (items.length >= 12) break;
  }
  return `<article class="slds-card"><div class="slds-card__header slds-grid"><header class="slds-media slds-media_center slds-has-flexi-truncate"><div class="slds-media__body"><h2 class="slds-card__header-title">Details</h2></div></header></div><div class="slds-card__body slds-card__body_inner"><div class="slds-grid slds-wrap slds-gutters_small">${items.join('')}</div></div></article>`;
}

function pageShell(title: string, body: string, boot?: unknown): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} | Channel Ops preview</title>
<link rel="stylesheet" href="/assets/styles/salesforce-lightning-design-system.min.css">
<style>
  html, body { background: #f3f3f3; min-height: 100%; }
  .preview-header { position: sticky; top: 0; z-index: 2; }
  .preview-region-item:empty { display: none; }
</style>
</head>
<body>
<div class="slds-scope">
${body}
</div>
${boot ? `<script>window.__CHANNEL_OPS_PREVIEW__ = ${JSON.stringify(boot).replace(/</g, '\\u003c')};</script>\n<script src="/preview/bundle.js"></script>` : ''}
</body>
</html>`;
}

function recordPageHtml(org: LocalOrg, page: RecordPage | undefined, def: ObjectDef, row: Row): string {
  const name = recordName(def, row);
  const visible = (page?.components ?? []).filter((c) => isVisible(c, row));
  const boot = {
    recordId: row.Id,
    objectApiName: def.name,
    userId: org.userId,
    // the running user is the org's System Administrator, who holds these permissions
    userPermissions: { TransferAnyEntity: true, ModifyAllData: true, ViewAllData: true },
    customPermissions: {},
    components: visible.map((c) => ({ name: c.name, region: c.region === 'main' ? 'main' : 'sidebar', properties: c.properties }))
  };
  const header = `<header class="preview-header slds-page-header slds-page-header_record-home">
  <div class="slds-page-header__row"><div class="slds-page-header__col-title"><div class="slds-media">
    <div class="slds-media__figure">${icon(ICONS[def.name] ?? 'standard:record')}</div>
    <div class="slds-media__body"><div class="slds-page-header__name"><div class="slds-page-header__name-title">
      <h1><span>${escapeHtml(def.label)}</span><span class="slds-page-header__title slds-truncate record-name" title="${escapeHtml(name)}">${escapeHtml(name)}</span></h1>
    </div></div></div>
  </div></div></div>
</header>`;
  const note = page ? '' : `<div class="slds-m-bottom_small slds-notify slds-notify_alert slds-alert_warning" role="status">No Lightning record page in force-app places components on ${escapeHtml(def.name)}.</div>`;
  const body = `${header}
<main class="slds-p-around_small">${note}<div class="slds-grid slds-wrap slds-gutters_small">
  <div class="slds-col slds-size_1-of-1 slds-large-size_8-of-12" data-region="main">${details(def, row)}</div>
  <div class="slds-col slds-size_1-of-1 slds-large-size_4-of-12" data-region="sidebar"></div>
</div></main>`;
  return pageShell(name, body, boot);
}

function homeHtml(org: LocalOrg): string {
  const q = (soql: string): Row[] => org.db.query(soql).records;
  const link = (obj: string, r: Row, extra = ''): string =>
    `<li class="slds-item"><a href="/lightning/r/${obj}/${String(r.Id)}/view">${escapeHtml(r.Name)}</a>${extra ? ` <span class="slds-text-color_weak">${escapeHtml(extra)}</span>` : ''}</li>`;
  const keyAccounts = q('SELECT Id, Name, Owner.Name FROM Account WHERE Key_Account__c = true ORDER BY Name LIMIT 10');
  const partners = q("SELECT Id, Name FROM Account WHERE Type = 'Channel Partner / Reseller' ORDER BY Name LIMIT 10");
  const conflicted = q("SELECT Opportunity__c, Opportunity__r.Name, Type__c FROM Channel_Conflict__c WHERE Status__c = 'Open' ORDER BY Opportunity__r.Name LIMIT 10");
  const section = (title: string, items: string): string =>
    `<article class="slds-card"><div class="slds-card__header"><h2 class="slds-card__header-title">${title}</h2></div><div class="slds-card__body slds-card__body_inner"><ul class="slds-has-dividers_bottom-space">${items || '<li class="slds-item">None</li>'}</ul></div></article>`;
  const body = `<header class="slds-page-header"><h1 class="slds-page-header__title">Channel Ops preview</h1><p class="slds-text-body_small">Record pages of the local org ${escapeHtml(org.instanceUrl)}</p></header>
<main class="slds-p-around_small"><div class="slds-grid slds-wrap slds-gutters_small">
<div class="slds-col slds-size_1-of-1 slds-medium-size_1-of-3">${section('Key accounts', keyAccounts.map((r) => link('Account', r, `owner ${String((r.Owner as Row | null)?.Name ?? '')}`)).join(''))}</div>
<div class="slds-col slds-size_1-of-1 slds-medium-size_1-of-3">${section('Partners', partners.map((r) => link('Account', r)).join(''))}</div>
<div class="slds-col slds-size_1-of-1 slds-medium-size_1-of-3">${section('Deals in conflict', conflicted.map((r) => link('Opportunity', { Id: r.Opportunity__c, Name: (r.Opportunity__r as Row | null)?.Name }, String(r.Type__c))).join(''))}</div>
</div></main>`;
  return pageShell('Channel Ops preview', body);
}

const TYPES: Record<string, string> = { '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.woff': 'font/woff', '.js': 'text/javascript; charset=utf-8' };

function sendFile(res: ServerResponse, root: string, rel: string): void {
  const file = resolve(root, `.${sep}${rel}`);
  if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404).end('Not found');
    return;
  }
  res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'max-age=3600' });
  createReadStream(file).pipe(res);
}

async function proxy(req: IncomingMessage, res: ServerResponse, org: LocalOrg): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const method = req.method ?? 'GET';
  const upstream = await fetch(`${org.instanceUrl}${req.url ?? ''}`, {
    method,
    headers: { Authorization: `Bearer ${org.accessToken}`, 'Content-Type': String(req.headers['content-type'] ?? 'application/json') },
    body: method === 'GET' || method === 'HEAD' ? undefined : Buffer.concat(chunks)
  });
  const body = Buffer.from(await upstream.arrayBuffer());
  res.writeHead(upstream.status, { 'Content-Type': upstream.headers.get('content-type') ?? 'application/json' });
  res.end(body);
}

export async function startPreview(opts: PreviewOptions = {}): Promise<Preview> {
  const log = opts.log ?? (() => undefined);
  const forceAppDir = opts.forceAppDir ?? defaultForceAppDir();
  const cacheDir = opts.cacheDir ?? join(dirname(packageDir('lightning-base-components')), '.cache', 'channel-ops-preview');
  const bundlePromise = bundleFor(forceAppDir, cacheDir, log);
  const org = await startLocalOrg({ port: opts.orgPort ?? 0, seed: opts.seed ?? 'demo', forceAppDir, log });
  try {
    if (opts.scanConflicts !== false) {
      // jsforce's Connection, with the one @salesforce/core method the scan uses
      const conn = Object.assign(new Connection({ instanceUrl: org.instanceUrl, accessToken: org.accessToken, version: API_VERSION }), {
        getApiVersion: () => API_VERSION
      });
      const scan = await scanConflicts(conn as never, { asOf: new Date().toISOString().slice(0, 10), write: true });
      log(`conflict scan wrote ${scan.counts.total} conflicts`);
    }
  } catch (e) {
    await org.close();
    throw e;
  }
  let bundle: { code: string; buildMs: number };
  try {
    bundle = await bundlePromise;
  } catch (e) {
    await org.close();
    throw e;
  }
  const pages = readRecordPages(forceAppDir);
  const sldsRoot = join(packageDir('@salesforce-ux/design-system'), 'assets');

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://preview');
    const path = url.pathname;
    if (path.startsWith('/services/data/')) return proxy(req, res, org);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (path === '/preview/bundle.js') {
      res.writeHead(200, { 'Content-Type': TYPES['.js'], 'Cache-Control': 'no-cache' });
      res.end(bundle.code);
      return;
    }
    if (path.startsWith('/assets/')) return sendFile(res, sldsRoot, decodeURIComponent(path.slice('/assets/'.length)));
    if (path === '/' || path === '/lightning' || path === '/lightning/page/home') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(homeHtml(org));
      return;
    }
    const m = /^\/lightning\/r\/(?:(?<obj>[A-Za-z0-9_]+)\/)?(?<id>[A-Za-z0-9]{15,18})\/view$/.exec(path);
    if (m?.groups) {
      const id = normalizeId(m.groups.id);
      const def = id ? org.db.schema.byKeyPrefix(id.slice(0, 3)) : undefined;
      const row = def && id ? org.db.retrieve(def.name, id) : undefined;
      if (!def || !row) {
        res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8' }).end(pageShell('Not found', `<div class="slds-notify slds-notify_alert slds-alert_error" role="alert">No record ${escapeHtml(m.groups.id)} in the local org.</div>`));
        return;
      }
      const page = pages.find((p) => p.sobjectType.toLowerCase() === def.name.toLowerCase());
      for (const f of page ? visibilityFields(page) : []) if (!(f in row)) row[f] = org.db.retrieve(def.name, id!, [f])?.[f];
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(recordPageHtml(org, page, def, row));
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(e instanceof Error ? e.message : String(e));
    });
  });
  try {
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
    });
  } catch (e) {
    await org.close();
    throw e;
  }
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    org,
    buildMs: bundle.buildMs,
    async close(): Promise<void> {
      await new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      });
      await org.close();
    }
  };
}
