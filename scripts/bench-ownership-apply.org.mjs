// Helper of bench-ownership-apply.mjs: a local org in its own process with N accounts owned by
// Alice (no children, no teams: a plain owner CSV). Prints one JSON line, serves until killed.
import { startLocalOrg } from '../lib/local-org/server.js';
import { makeId } from '../lib/domain/ids.js';

const n = Number(process.argv[2] ?? 100_000);
const org = await startLocalOrg({ schema: 'force-app' });
const alice = makeId('005', 1, 'BEN');
const bob = makeId('005', 2, 'BEN');
org.db.load('User', [
  { Id: alice, Username: 'alice@bench.test', Email: 'alice@bench.test', LastName: 'Alice', Alias: 'alice', IsActive: true },
  { Id: bob, Username: 'bob@bench.test', Email: 'bob@bench.test', LastName: 'Bob', Alias: 'bob', IsActive: true }
]);
function* accounts() {
  for (let i = 1; i <= n; i++) yield { Id: makeId('001', i, 'BEN'), Name: `Bench ${i}`, OwnerId: alice };
}
org.db.load('Account', accounts());
org.db.recalculate();
process.stdout.write(`${JSON.stringify({ instanceUrl: org.instanceUrl, accessToken: org.accessToken, orgId: org.orgId, username: org.username, alice, bob })}\n`);
process.on('SIGTERM', () => org.close().then(() => process.exit(0)));
