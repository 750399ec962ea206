#!/usr/bin/env node
/**
 * Benchmark of the local org's in-process Database (no HTTP): memory with N accounts
 * loaded, in-process owner-update rate, and a few query timings.
 *
 *   npm run build && node --expose-gc scripts/bench-local-org-db.mjs [accounts=1000000] [updates=200000]
 *
 * Prints one JSON line with the figures.
 */
import { standardSchema, loadForceApp } from '../lib/local-org/schema.js';
import { Database } from '../lib/local-org/database.js';
import { makeId } from '../lib/domain/ids.js';

const N = Number(process.argv[2] ?? 1_000_000);
const UPDATES = Number(process.argv[3] ?? 200_000);
const USERS = 200;

const gc = globalThis.gc ?? (() => {});
const mb = (n) => Math.round(n / 1024 / 1024);
function memory() {
  gc();
  gc();
  const m = process.memoryUsage();
  return { rssMB: mb(m.rss), heapUsedMB: mb(m.heapUsed) };
}

const baseline = memory();
const schema = standardSchema();
await loadForceApp(new URL('..', import.meta.url).pathname, schema);
const db = new Database(schema);

const users = Array.from({ length: USERS }, (_, i) => ({
  Id: makeId('005', i + 1, 'SED'),
  Username: `user${i}@bench.local`,
  FirstName: `User`,
  LastName: `${i}`,
  Email: `user${i}@bench.local`,
  IsActive: true
}));
db.load('User', users);

const cities = ['Berlin', 'Paris', 'Lyon', 'Madrid', 'Austin', 'Osaka', 'Leeds', 'Graz'];
const types = ['Customer - Direct', 'Customer - Channel', 'Prospect', 'Channel Partner / Reseller'];
function* accounts() {
  const created = Date.parse('2025-06-01T00:00:00Z');
  for (let i = 0; i < N; i++) {
    yield {
      Id: makeId('001', i + 1, 'SED'),
      Name: `Customer ${i} GmbH`,
      Type: types[i % types.length],
      OwnerId: users[i % USERS].Id,
      Website: `www.customer${i}.example`,
      Phone: `+49 30 ${String(1000000 + i)}`,
      BillingStreet: `${i % 300} Main Street`,
      BillingCity: cities[i % cities.length],
      BillingPostalCode: String(10000 + (i % 89999)),
      BillingCountry: 'DE',
      Industry: 'Technology',
      Key_Account__c: i % 50 === 0,
      Key_Account_Tier__c: i % 50 === 0 ? 'Key' : null,
      CreatedDate: created
    };
  }
}

let t = performance.now();
db.load('Account', accounts());
const loadSeconds = (performance.now() - t) / 1000;
const afterLoad = memory();

// In-process owner updates through the full platform path (validation, owner checks, teams, audit fields).
// The ids and owners arrive parsed (as from a CSV or JSON body), so they are made up front.
const ctx = { userId: users[0].Id, now: new Date() };
const work = Array.from({ length: UPDATES }, (_, i) => [
  JSON.parse(JSON.stringify(makeId('001', ((i * 7919) % N) + 1, 'SED'))),
  users[(i + 1) % USERS].Id
]);
t = performance.now();
const cpu0 = process.cpuUsage();
for (const [id, owner] of work) db.update('Account', id, { OwnerId: owner }, ctx);
const updateSeconds = (performance.now() - t) / 1000;
const cpu = process.cpuUsage(cpu0);
// On a shared machine wall time varies with load; CPU time of this process (one thread, plus GC threads) is steadier.
const updateCpuSeconds = (cpu.user + cpu.system) / 1e6;

// Queries: first use builds the OwnerId index (a scan), later ones use it.
t = performance.now();
const byOwnerFirst = db.query(`SELECT Id FROM Account WHERE OwnerId = '${users[3].Id}'`).totalSize;
const ownerQueryFirstMs = performance.now() - t;
t = performance.now();
db.query(`SELECT Id, Name FROM Account WHERE OwnerId = '${users[4].Id}'`);
const ownerQueryIndexedMs = performance.now() - t;
t = performance.now();
const countAll = db.query('SELECT COUNT() FROM Account').totalSize;
const countMs = performance.now() - t;
t = performance.now();
db.query(
  "SELECT Id, Name, Owner.Name FROM Account WHERE BillingCity = 'Graz' AND Key_Account__c = true LIMIT 2000"
);
const scanQueryMs = performance.now() - t;
const afterAll = memory();

console.log(
  JSON.stringify({
    accounts: N,
    loadSeconds: Number(loadSeconds.toFixed(2)),
    loadRowsPerSecond: Math.round(N / loadSeconds),
    memory: { baseline, afterLoad, afterUpdatesAndIndexes: afterAll },
    heapPerAccountBytes: Math.round(((afterLoad.heapUsedMB - baseline.heapUsedMB) * 1024 * 1024) / N),
    ownerUpdates: UPDATES,
    ownerUpdatesPerSecond: Math.round(UPDATES / updateSeconds),
    ownerUpdatesPerCpuSecond: Math.round(UPDATES / updateCpuSeconds),
    queries: {
      byOwnerFirstUseMs: Math.round(ownerQueryFirstMs),
      byOwnerIndexedMs: Number(ownerQueryIndexedMs.toFixed(1)),
      byOwnerRows: byOwnerFirst,
      countAllMs: Math.round(countMs),
      countAll,
      fullScanFilterMs: Math.round(scanQueryMs)
    }
  })
);
