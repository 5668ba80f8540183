import { afterAll, beforeAll } from 'vitest';
import { startNeonWsProxy } from '../../test/support/neon-ws-proxy.ts';
import { describeDriverContract } from './contract.ts';
import { openNeon } from './neon.ts';
import { openPg } from './pg.ts';
import { openPglite } from './pglite.ts';

// Real PostgreSQL when `npm test` found one (TEST_PG_URL); the pg and Neon runs are skipped otherwise, and say so.
const pgUrl = process.env.TEST_PG_URL
  ? Object.assign(new URL(process.env.TEST_PG_URL), { pathname: '/crm_test_us_0' }).toString()
  : '';

let proxy: Awaited<ReturnType<typeof startNeonWsProxy>> | undefined;
beforeAll(async () => {
  if (pgUrl) proxy = await startNeonWsProxy();
});
afterAll(() => proxy?.close());

describeDriverContract('PGlite', () => openPglite('contract-pglite', 'memory:'));
describeDriverContract('pg', () => openPg('contract-pg', pgUrl, 2), !pgUrl);
describeDriverContract(
  'Neon serverless (through a local WebSocket proxy)',
  () => openNeon('contract-neon', pgUrl, 2, proxy!.address),
  !pgUrl,
);
