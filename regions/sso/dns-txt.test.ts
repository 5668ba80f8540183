import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupTxt, ssoDnsServers } from './dns-txt.ts';
import { startTestDnsServer } from './test-dns-server.ts';

/** The TXT lookup against a real DNS server on 127.0.0.1 (dns2), as SSO_DNS_SERVERS points it there. */
let dns: Awaited<ReturnType<typeof startTestDnsServer>>;

beforeAll(async () => {
  dns = await startTestDnsServer();
});
afterAll(() => dns?.stop());

describe('reading TXT records', () => {
  it('answers every record of the name, each with its strings joined', async () => {
    dns.records.set('_crm-verification.a.example', [['v=spf1 -all'], ['crm-verification=', '0123', '4567']]);
    expect(await lookupTxt('_crm-verification.a.example', [dns.address])).toEqual({
      kind: 'records',
      records: ['v=spf1 -all', 'crm-verification=01234567'],
    });
  });

  it('says none for a name that does not exist', async () => {
    expect(await lookupTxt('_crm-verification.nowhere.example', [dns.address])).toEqual({ kind: 'none' });
  });

  it('gives up on a server that does not answer within seconds', async () => {
    dns.state.silent = true;
    try {
      const started = Date.now();
      expect(await lookupTxt('_crm-verification.a.example', [dns.address])).toEqual({
        kind: 'unanswered',
        code: 'ETIMEOUT',
      });
      expect(Date.now() - started).toBeLessThan(6000);
    } finally {
      dns.state.silent = false;
    }
  });

  it('reads its servers from SSO_DNS_SERVERS, else the system', () => {
    const before = process.env.SSO_DNS_SERVERS;
    try {
      process.env.SSO_DNS_SERVERS = ' 127.0.0.1:5353, 1.1.1.1 ,';
      expect(ssoDnsServers()).toEqual(['127.0.0.1:5353', '1.1.1.1']);
      process.env.SSO_DNS_SERVERS = '';
      expect(ssoDnsServers()).toBeNull();
    } finally {
      if (before === undefined) delete process.env.SSO_DNS_SERVERS;
      else process.env.SSO_DNS_SERVERS = before;
    }
  });
});
