import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, TEST_SECRET, type TestStack } from '../../test/support/stack.ts';
import { createEdgeApp } from '../app.ts';
import { createStatusProbe, type StatusReport } from './status.ts';

/** A "region" that accepts connections and never answers: the probe must give up on it, not wait. */
function silentServer(): Promise<{ server: Server; url: string }> {
  return new Promise((resolve) => {
    const server = createServer(() => {});
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    );
  });
}

/** A region double that answers both probes and counts them. */
function countingServer(): Promise<{ server: Server; url: string; hits: string[] }> {
  const hits: string[] = [];
  return new Promise((resolve) => {
    const server = createServer((request, response) => {
      hits.push(request.url ?? '');
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    });
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits }),
    );
  });
}

/** A port nothing listens on: bound, then closed. */
async function closedPortUrl(): Promise<string> {
  const { server, url } = await silentServer();
  await new Promise((done) => server.close(done));
  return url;
}

let stack: TestStack;
let silent: Awaited<ReturnType<typeof silentServer>>;
let edge: ReturnType<typeof createEdgeApp>;
// Long enough for a loaded machine's real regions to answer; the silent one is cut off at it.
const TIMEOUT_MS = 5000;

beforeAll(async () => {
  stack = await startTestStack();
  silent = await silentServer();
  edge = createEdgeApp({
    // The stack's regions are up; `gone` refuses connections; `mute` never answers.
    regions: { ...stack.regionUrls, gone: await closedPortUrl(), mute: silent.url },
    defaultRegion: Object.keys(stack.regionUrls)[0]!,
    sharedSecret: TEST_SECRET,
    ops: { statusTimeoutMs: TIMEOUT_MS, statusCacheSeconds: 5 },
  });
}, 600_000);

afterAll(async () => {
  silent?.server.closeAllConnections();
  await new Promise((done) => silent?.server.close(done));
  await stack?.stop();
});

describe('the status page', () => {
  it('answers 200 within the probe timeout and shows the regions that are down as down', async () => {
    const started = Date.now();
    const answer = await edge.request('/status.json');
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS * 3);
    expect(answer.status).toBe(200);
    const report = (await answer.json()) as StatusReport;
    expect(report.overall).toBe('degraded');
    const byRegion = Object.fromEntries(report.regions.map((r) => [r.region, r]));
    for (const region of Object.keys(stack.regionUrls)) {
      expect(byRegion[region]).toMatchObject({
        state: 'ready',
        health: { state: 'up', httpStatus: 200 },
        ready: { state: 'up', httpStatus: 200 },
      });
    }
    expect(byRegion.gone).toMatchObject({ state: 'down', health: { state: 'down', httpStatus: null } });
    expect(byRegion.mute).toMatchObject({ state: 'down', health: { state: 'down', httpStatus: null } });
    // Nothing about the inside: no addresses, no shard names or driver errors.
    const text = JSON.stringify(report);
    expect(text).not.toContain('127.0.0.1');
    expect(text).not.toMatch(/shard|checks|error/i);
  });

  it('renders the same as an HTML page without scripts, in the web app’s styles', async () => {
    const answer = await edge.request('/status');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('text/html');
    expect(answer.headers.get('cache-control')).toBe('public, max-age=5');
    const html = await answer.text();
    expect(html).toContain('<h1 class="text-2xl font-semibold">Service status</h1>');
    expect(html).toContain('Some regions are not fully available');
    expect(html).toMatch(/data-region="gone"[\s\S]*?Down: not answering/);
    for (const region of Object.keys(stack.regionUrls)) {
      expect(html).toMatch(new RegExp(`data-region="${region}"[\\s\\S]*?Operational`));
    }
    expect(html).toContain('rel="stylesheet"');
    expect(html).not.toContain('<script');
  });
});

describe('the status probes', () => {
  it('run once per period however many visitors ask, and again after it', async () => {
    const region = await countingServer();
    let now = 1_000_000;
    const status = createStatusProbe({
      regions: { one: region.url },
      fetch: (input, init) => fetch(input, init),
      timeoutMs: 1000,
      cacheSeconds: 5,
      now: () => now,
    });
    const reports = await Promise.all(Array.from({ length: 20 }, () => status()));
    expect(new Set(reports).size).toBe(1);
    expect(reports[0]!.overall).toBe('operational');
    now += 4_000;
    await status();
    expect(region.hits.sort()).toEqual(['/health', '/ready']);
    now += 2_000;
    await status();
    expect(region.hits).toHaveLength(4);
    await new Promise((done) => region.server.close(done));
  });
});
