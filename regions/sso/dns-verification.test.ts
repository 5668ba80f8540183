import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { startTestDnsServer } from './test-dns-server.ts';

/**
 * Domain verification by DNS TXT record through the API, against a real DNS server on 127.0.0.1 (SSO_DNS_SERVERS):
 * the record as published, a wrong token, the token among other records, split into several strings, no such name,
 * and a server that never answers (a 409 the admin retries, soon; never a 500 or a hung request).
 */
let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let dns: Awaited<ReturnType<typeof startTestDnsServer>>;
let admin: Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;

beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
  dns = await startTestDnsServer();
  process.env.SSO_DNS_SERVERS = dns.address;
  admin = await api.signup('sso-dns');
}, 600_000);
afterAll(async () => {
  delete process.env.SSO_DNS_SERVERS;
  await dns?.stop();
  await stack?.stop();
});

type Added = { id: string; dnsRecord: { name: string; value: string } };

/** A new domain waiting for its TXT record, and a call to verify it. */
async function addDomain() {
  const added = await api.call<Added>('POST', '/api/v1/sso/domains', {
    token: admin.token,
    body: { domain: `${api.unique('dns')}.example`, verificationMethod: 'dns_txt' },
  });
  expect(added.status, JSON.stringify(added.data)).toBe(201);
  const verify = () =>
    api.call('POST', `/api/v1/sso/domains/${added.data.id}/verify`, { token: admin.token, body: {} });
  return { ...added.data, verify };
}

describe('verifying a domain by its DNS TXT record', () => {
  it('verifies the record as published, once the right value is there', async () => {
    const domain = await addDomain();
    dns.records.set(domain.dnsRecord.name, [[`crm-verification=${'0'.repeat(32)}`]]);
    const wrong = await domain.verify();
    expectError(wrong, 409, 'domain_not_verified');
    expect(wrong.data.error.message).toContain(domain.dnsRecord.name);
    dns.records.set(domain.dnsRecord.name, [[domain.dnsRecord.value]]);
    const verified = await domain.verify();
    expect(verified.status, JSON.stringify(verified.data)).toBe(200);
    expect(verified.data).toMatchObject({ verified: true });
  });

  it('finds the token among other TXT records of the name', async () => {
    const domain = await addDomain();
    dns.records.set(domain.dnsRecord.name, [
      ['v=spf1 -all'],
      ['google-site-verification=abc'],
      [domain.dnsRecord.value],
    ]);
    const verified = await domain.verify();
    expect(verified.status, JSON.stringify(verified.data)).toBe(200);
  });

  it('joins a record published as several strings', async () => {
    const domain = await addDomain();
    const { value } = domain.dnsRecord;
    dns.records.set(domain.dnsRecord.name, [[value.slice(0, 10), value.slice(10, 30), value.slice(30)]]);
    const verified = await domain.verify();
    expect(verified.status, JSON.stringify(verified.data)).toBe(200);
  });

  it('refuses a name that does not exist (NXDOMAIN)', async () => {
    const domain = await addDomain();
    expectError(await domain.verify(), 409, 'domain_not_verified');
  });

  it('answers a DNS server that does not answer with a 409 within seconds, the domain unverified', async () => {
    const domain = await addDomain();
    dns.records.set(domain.dnsRecord.name, [[domain.dnsRecord.value]]);
    dns.state.silent = true;
    try {
      const started = Date.now();
      const refused = await domain.verify();
      expectError(refused, 409, 'dns_lookup_failed');
      expect(refused.data.error.message).toContain('try again');
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      dns.state.silent = false;
    }
    const listed = await api.call('GET', '/api/v1/sso/domains', { token: admin.token });
    expect(listed.data.data.find((d: { id: string }) => d.id === domain.id)).toMatchObject({ verified: false });
    // Once the server answers again, the same domain verifies.
    expect((await domain.verify()).status).toBe(200);
  });
});
