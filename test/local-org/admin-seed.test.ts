import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startLocalOrg, type LocalOrg } from '../../plugin-src/local-org/server.js';

// Seeding after start is how an org that began with only the standard objects gets its demo
// data once a deploy has brought the Channel Ops schema in (npm run demo -- --deploy-first).
describe('local org: POST /__local/seed', () => {
  let org: LocalOrg;
  beforeAll(async () => {
    org = await startLocalOrg({ port: 0 });
  });
  afterAll(async () => {
    await org?.close();
  });

  const post = (body: unknown, token = org.accessToken) =>
    fetch(`${org.instanceUrl}/__local/seed`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body)
    });

  it('loads a scenario into the running org and says what it loaded', async () => {
    expect(org.db.count('Account')).toBe(0);
    const res = await post({ scenario: 'demo' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { counts: Record<string, number> };
    expect(body.counts.Account).toBeGreaterThan(100);
    expect(org.db.count('Account')).toBe(body.counts.Account);
    expect(org.db.query("SELECT Id FROM User WHERE Username = 'kam.alice@channel-ops.local'").totalSize).toBe(1);
  });

  it('refuses a request without a scenario, an unknown scenario, or a wrong token', async () => {
    const missing = await post({});
    expect(missing.status).toBe(400);
    expect(await missing.text()).toMatch(/INVALID_SEED/);
    const unknown = await post({ scenario: 'no-such-scenario' });
    expect(unknown.status).toBe(400);
    expect((await post({ scenario: 'demo' }, 'wrong')).status).toBe(401);
  });
});
