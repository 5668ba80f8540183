import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  EXPORT_PATH,
  expectStreamedExport,
  seedStreamedLeads,
  watchRegionExport,
} from '../test/runtime/streamed-export.ts';
import { apiClient } from '../test/support/api.ts';
import { startTestStack, TEST_SECRET, type TestStack } from '../test/support/stack.ts';
import { createEdgeApp } from './app.ts';
import type { Forwarded } from './forward.ts';
import { CACHEABLE_MAX_BYTES, isCacheable } from './response-cache.ts';

const encoder = new TextEncoder();
// Decoded as is: the default decoder would drop the byte-order mark an export starts with.
const decode = (bytes: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let token: string;
let organizationId: string;
const servers: ReturnType<typeof serve>[] = [];

/** Answers for paths the test plays the region for; every other call (sign-up, keys) reaches the real region. */
const fakeRegion = new Map<string, (signal: AbortSignal) => Response | Promise<Response>>();
let fakeEdgeUrl: string;

beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
  const session = await api.signup('streaming');
  token = session.token;
  organizationId = session.organization.id;
  const app = createEdgeApp({
    regions: stack.regionUrls,
    defaultRegion: 'us',
    sharedSecret: TEST_SECRET,
    rateLimit: { perOrganization: 100_000, perIp: 100_000, windowSeconds: 60 },
    clientIp: (c) => getConnInfo(c).remote.address,
    fetch: async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const fake = fakeRegion.get(url.pathname);
      return fake ? fake(init?.signal ?? new AbortController().signal) : fetch(input, init);
    },
  });
  fakeEdgeUrl = await new Promise<string>((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve(`http://127.0.0.1:${info.port}`),
    );
    servers.push(server);
  });
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
  await stack?.stop();
});

/** A region's answer whose body the test writes and ends when it likes, and which tells when its reader cancels. */
function heldOpenAnswer(headers: Record<string, string>) {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let cancelledWith!: (reason: unknown) => void;
  const cancelled = new Promise<unknown>((resolve) => {
    cancelledWith = resolve;
  });
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    cancel(reason) {
      cancelledWith(reason ?? 'cancelled');
    },
  });
  return {
    response: new Response(body, { status: 200, headers }),
    write: (chunk: string | Uint8Array) =>
      controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk),
    end: () => controller.close(),
    cancelled,
  };
}

const csvHeaders = {
  'content-type': 'text/csv; charset=utf-8',
  'content-disposition': 'attachment; filename="leads-2026-01-02.csv"',
  'cache-control': 'private, no-store',
};

async function readToEnd(reader: ReadableStreamDefaultReader<Uint8Array>, start: Uint8Array[] = []) {
  const chunks = [...start];
  for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

const auth = () => ({ authorization: `Bearer ${token}` });

describe('the edge relays a region’s stream as it comes (a region the test plays)', () => {
  it('hands the client the first bytes while the region is still writing, then the whole file', async () => {
    const answer = heldOpenAnswer(csvHeaders);
    fakeRegion.set('/api/v1/exports/leads.csv', () => answer.response);
    answer.write('\ufeffid,firstName\n');
    const response = await fetch(`${fakeEdgeUrl}/api/v1/exports/leads.csv`, { headers: auth() });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(csvHeaders['content-disposition']);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('ratelimit-limit')).toBe('100000');
    // No length: the edge has not read the body to measure it.
    expect(response.headers.get('content-length')).toBeNull();

    const reader = response.body!.getReader();
    const first = await reader.read();
    // The region has written one line and not ended its answer, yet the client holds that line.
    expect(decode(first.value!)).toBe('\ufeffid,firstName\n');

    const rows = Array.from({ length: 5000 }, (_, i) => `${i},"Lead, number ${i}"\n`);
    for (let i = 0; i < rows.length; i += 500) answer.write(rows.slice(i, i + 500).join(''));
    answer.end();
    const text = decode(await readToEnd(reader, [first.value!]));
    expect(text).toBe(`\ufeffid,firstName\n${rows.join('')}`);
  });

  it('cancels the region’s stream when the client leaves mid-download', async () => {
    const answer = heldOpenAnswer(csvHeaders);
    fakeRegion.set('/api/v1/exports/leads.csv', () => answer.response);
    answer.write('id,firstName\n');
    const client = new AbortController();
    const response = await fetch(`${fakeEdgeUrl}/api/v1/exports/leads.csv`, {
      headers: auth(),
      signal: client.signal,
    });
    const reader = response.body!.getReader();
    expect(decode((await reader.read()).value!)).toBe('id,firstName\n');
    client.abort();
    const reason = await Promise.race([
      answer.cancelled,
      new Promise((_, reject) => setTimeout(() => reject(new Error('the region was never cancelled')), 5000)),
    ]);
    expect(reason).toBeDefined();
  });

  it('aborts the region call when the client leaves before the region has answered', async () => {
    let upstreamSignal: AbortSignal | undefined;
    let answered!: (response: Response) => void;
    fakeRegion.set('/api/v1/exports/leads.csv', (signal) => {
      upstreamSignal = signal;
      return new Promise<Response>((resolve) => {
        answered = resolve;
      });
    });
    const client = new AbortController();
    const request = fetch(`${fakeEdgeUrl}/api/v1/exports/leads.csv`, { headers: auth(), signal: client.signal });
    await vi.waitFor(() => expect(upstreamSignal).toBeDefined(), { timeout: 5000 });
    expect(upstreamSignal!.aborted).toBe(false);
    client.abort();
    await expect(request).rejects.toThrow();
    await vi.waitFor(() => expect(upstreamSignal!.aborted).toBe(true), { timeout: 5000 });
    answered(new Response('too late'));
  });

  it('passes a file’s bytes through unchanged, with its length', async () => {
    // Every byte value, so sequences that are not UTF-8 would be mangled by any text round trip.
    const bytes = Uint8Array.from({ length: 64 * 1024 }, (_, i) => (i * 7) % 256);
    const answer = heldOpenAnswer({
      'content-type': 'application/octet-stream',
      'content-disposition': 'attachment; filename="blob.bin"',
      'content-length': String(bytes.byteLength),
      etag: '"v1"',
    });
    const id = crypto.randomUUID();
    fakeRegion.set(`/api/v1/attachments/${id}`, () => answer.response);
    answer.write(bytes.subarray(0, 1000));
    const response = await fetch(`${fakeEdgeUrl}/api/v1/attachments/${id}`, { headers: auth() });
    expect(response.headers.get('content-length')).toBe(String(bytes.byteLength));
    expect(response.headers.get('etag')).toBe('"v1"');
    answer.write(bytes.subarray(1000));
    answer.end();
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);
  });

  it('keeps small JSON of known length in the read cache, and streams large or unmeasured JSON uncached', async () => {
    let calls = 0;
    const small = JSON.stringify({ data: [{ id: 'one' }], nextCursor: null });
    const large = JSON.stringify({ data: Array.from({ length: 12_000 }, (_, i) => ({ id: `lead-${i}`, n: i })) });
    expect(large.length).toBeGreaterThan(CACHEABLE_MAX_BYTES);
    const get = async (query: string) => {
      const response = await fetch(`${fakeEdgeUrl}/api/v1/leads${query}`, { headers: auth() });
      return { cache: response.headers.get('x-cache'), data: await response.json() };
    };

    fakeRegion.set('/api/v1/leads', () => {
      calls++;
      return new Response(small, {
        headers: { 'content-type': 'application/json', 'content-length': String(small.length) },
      });
    });
    expect(await get('?q=small')).toEqual({ cache: 'miss', data: JSON.parse(small) });
    expect(await get('?q=small')).toEqual({ cache: 'hit', data: JSON.parse(small) });
    expect(calls).toBe(1);

    // Streamed with no length, as a region's chunked answer comes: the edge cannot know its size without reading it.
    fakeRegion.set('/api/v1/leads', () => {
      calls++;
      const answer = heldOpenAnswer({ 'content-type': 'application/json' });
      answer.write(small);
      answer.end();
      return answer.response;
    });
    expect(await get('?q=unmeasured')).toEqual({ cache: 'bypass', data: JSON.parse(small) });
    expect(await get('?q=unmeasured')).toEqual({ cache: 'bypass', data: JSON.parse(small) });
    expect(calls).toBe(3);

    fakeRegion.set('/api/v1/leads', () => {
      calls++;
      return new Response(large, {
        headers: { 'content-type': 'application/json', 'content-length': String(large.length) },
      });
    });
    expect(await get('?q=large')).toEqual({ cache: 'bypass', data: JSON.parse(large) });
    expect(await get('?q=large')).toEqual({ cache: 'bypass', data: JSON.parse(large) });
    expect(calls).toBe(5);
    fakeRegion.delete('/api/v1/leads');
  });

  it('states the cache rule: a 200 in JSON, its length announced and at most the limit', () => {
    const answer = (status: number, headers: Record<string, string>): Forwarded => ({ status, body: null, headers });
    const json = { 'content-type': 'application/json; charset=UTF-8', 'content-length': '120' };
    expect(isCacheable(answer(200, json))).toBe(true);
    expect(isCacheable(answer(200, { ...json, 'content-type': 'application/problem+json' }))).toBe(true);
    expect(isCacheable(answer(200, { ...json, 'content-length': String(CACHEABLE_MAX_BYTES) }))).toBe(true);
    expect(isCacheable(answer(200, { ...json, 'content-length': String(CACHEABLE_MAX_BYTES + 1) }))).toBe(false);
    expect(isCacheable(answer(200, { 'content-type': 'application/json' }))).toBe(false);
    expect(isCacheable(answer(200, { ...json, 'content-type': 'text/csv; charset=utf-8' }))).toBe(false);
    expect(isCacheable(answer(200, { ...json, 'content-length': 'lots' }))).toBe(false);
    expect(isCacheable(answer(404, json))).toBe(false);
  });
});

describe('a large export through the real edge and region', () => {
  const total = 20_000;
  let names: Map<string, string>;
  beforeAll(async () => {
    names = await seedStreamedLeads(stack, 'us', organizationId, total);
  });

  it('arrives complete and correct, streamed (no length announced), every row once', async () => {
    await expectStreamedExport(await fetch(stack.edgeUrl + EXPORT_PATH, { headers: auth() }), names);
  });

  it('streams a CSV report past the read cache every time, while its JSON is kept', async () => {
    const report = (accept: string) =>
      fetch(`${stack.edgeUrl}/api/v1/analytics/lead-sources`, { headers: { ...auth(), accept } });
    for (let i = 0; i < 2; i++) {
      const csv = await report('text/csv');
      expect(csv.headers.get('x-cache')).toBe('bypass');
      expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(csv.headers.get('vary')).toBe('Accept');
      expect(await csv.text()).toMatch(/^source,leads,converted,conversion_rate\r\nstream,20000,0,0\r\n$/);
    }
    expect((await report('application/json')).headers.get('x-cache')).toBe('miss');
    expect((await report('application/json')).headers.get('x-cache')).toBe('hit');
  });

  it('stops the region’s export when the client leaves after the first bytes', async () => {
    const region = watchRegionExport(stack, 'us', organizationId);
    try {
      const client = new AbortController();
      const response = await fetch(stack.edgeUrl + EXPORT_PATH, { headers: auth(), signal: client.signal });
      const reader = response.body!.getReader();
      expect(decode((await reader.read()).value!)).toMatch(/^\ufeffid,firstName,/);
      client.abort();
      await region.cancelled();
      const atCancel = region.watch.pages;
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Forty pages make the whole table; the region read a few and asked for no more once cancelled.
      expect(region.watch.pages).toBe(atCancel);
      expect(region.watch.pages).toBeLessThan(total / 500);
    } finally {
      region.restore();
    }
  });
});
