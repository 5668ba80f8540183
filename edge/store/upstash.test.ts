import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstashRestServer } from '../../test/support/upstash-rest.ts';
import { describeKeyValueStoreContract } from './contract.ts';
import { UpstashStore } from './upstash.ts';

/**
 * Not the Upstash service (unreachable from here): `@upstash/redis` talks to a local server speaking Upstash's REST
 * protocol (test/support/upstash-rest.ts), backed by the real Redis that `npm test` finds on 127.0.0.1.
 */
const redisUrl = process.env.TEST_REDIS_URL;
const token = 'upstash-test-token';
let server: Awaited<ReturnType<typeof startUpstashRestServer>> | undefined;
beforeAll(async () => {
  if (redisUrl) server = await startUpstashRestServer(redisUrl, token);
});
afterAll(() => server?.close());

const open = () => new UpstashStore({ url: server!.url, token }, `crm-test:upstash:${process.pid}:`);

describeKeyValueStoreContract('UpstashStore (local Upstash REST protocol over real Redis)', open, !redisUrl);

describe.skipIf(!redisUrl)('UpstashStore', () => {
  it('hands back JSON text exactly as stored, not parsed', async () => {
    const store = open();
    const value = JSON.stringify({ status: 200, body: '{"data":[]}', headers: { etag: '"x"' } });
    await store.set('json', value, 60);
    expect(await store.get('json')).toBe(value);
  });

  it('fails when the token is wrong', async () => {
    const store = new UpstashStore({ url: server!.url, token: 'wrong' });
    await expect(store.get('anything')).rejects.toThrow(/Unauthorized/);
  });
});
