import { readFileSync } from 'node:fs';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildEdgeWorker } from '../../scripts/build-edge.ts';
import { TEST_REGIONS } from '../support/databases.ts';
import { startTestStack, TEST_SECRET, type TestStack } from '../support/stack.ts';
import { EXPORT_PATH, expectStreamedExport, seedStreamedLeads, watchRegionExport } from './streamed-export.ts';
import {
  expectImportCreated,
  multipartStream,
  regionStoring,
  storedFiles,
  UPLOAD_CONTENT_TYPE,
} from './streamed-upload.ts';

/** The Worker's upload limit here: small, so a body past it is quick to send. */
const UPLOAD_LIMIT = 8 * 1024 * 1024;
/** What Prometheus would present to read the Worker's /metrics. */
const METRICS_TOKEN = 'workerd-metrics-token-0123456789';

type Json = Record<string, unknown> & { error?: { code: string; message: string; requestId: string } };
type Lead = { id: string; firstName: string; company: string | null };

/**
 * The compatibility date and [vars] from wrangler.toml, so the Worker under test is configured the way it deploys
 * (the file is flat `KEY = "value"` lines; no TOML parser is installed for this).
 */
function wranglerSettings(): { compatibilityDate: string; vars: Record<string, string>; kvNamespaces: string[] } {
  const text = readFileSync(new URL('../../wrangler.toml', import.meta.url), 'utf8');
  const compatibilityDate = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(text)?.[1];
  if (!compatibilityDate) throw new Error('wrangler.toml has no compatibility_date');
  const section = /^\[vars\]\s*$([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(text)?.[1] ?? '';
  const vars = Object.fromEntries([...section.matchAll(/^([A-Z_]+)\s*=\s*"([^"]*)"/gm)].map((m) => [m[1]!, m[2]!]));
  // Each `[[kv_namespaces]]` binding becomes a Miniflare KV namespace of that name (EDGE_KV: the read cache).
  const kvNamespaces = [...text.matchAll(/^\[\[kv_namespaces\]\]\s*\nbinding\s*=\s*"([^"]+)"/gm)].map((m) => m[1]!);
  return { compatibilityDate, vars, kvNamespaces };
}

let stack: TestStack;
let mf: Miniflare;
const stamp = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

beforeAll(async () => {
  // The stack's Node edge is left idle: only its regions are used, reached from inside workerd.
  const [started, bundle] = await Promise.all([startTestStack(), buildEdgeWorker({ write: false })]);
  stack = started;
  const { compatibilityDate, vars, kvNamespaces } = wranglerSettings();
  mf = new Miniflare({
    modules: true,
    script: bundle.code,
    compatibilityDate,
    kvNamespaces,
    // Outbound fetch from workerd to 127.0.0.1 reaches the Node regions directly, so no outboundService is needed.
    bindings: {
      ...vars,
      REGIONS: Object.entries(stack.regionUrls)
        .map(([name, url]) => `${name}=${url}`)
        .join(','),
      DEFAULT_REGION: TEST_REGIONS[0],
      RATE_LIMIT_PER_MINUTE: '100000',
      RATE_LIMIT_IP_PER_MINUTE: '100000',
      EDGE_SHARED_SECRET: TEST_SECRET,
      MAX_UPLOAD_BYTES: String(UPLOAD_LIMIT),
      EDGE_METRICS_TOKEN: METRICS_TOKEN,
    },
  });
  await mf.ready;
});

afterAll(async () => {
  await mf?.dispose();
  await stack?.stop();
});

/** test/support/api.ts calls through Node's fetch; this goes through Miniflare's dispatchFetch into the Worker. */
async function call(method: string, path: string, options: { token?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await mf.dispatchFetch(`https://edge.test${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, data: (text ? JSON.parse(text) : null) as Json };
}

describe('the edge bundle in workerd (Miniflare)', () => {
  it('answers health from the Worker with every configured region', async () => {
    const health = await call('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.data).toEqual({ status: 'ok', tier: 'edge', regions: Object.keys(stack.regionUrls) });
  });

  it('shows every region ready on the status page, and its counters to the holder of the metrics token', async () => {
    const status = await call('GET', '/status.json');
    expect(status.status).toBe(200);
    expect(status.data.overall).toBe('operational');
    const regions = status.data.regions as { region: string; state: string }[];
    expect(regions.map((r) => [r.region, r.state])).toEqual(
      Object.keys(stack.regionUrls).map((region) => [region, 'ready']),
    );
    const page = await mf.dispatchFetch('https://edge.test/status');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('All regions operational');
    const refused = await mf.dispatchFetch('https://edge.test/metrics');
    expect(refused.status).toBe(401);
    await refused.text();
    const metrics = await mf.dispatchFetch('https://edge.test/metrics', {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    expect(await metrics.text()).toContain('# TYPE cache_hit_rate gauge');
  });

  it('signs up, creates, lists and reads a lead in each region, end to end', async () => {
    for (const region of TEST_REGIONS) {
      const id = `workerd-${region}-${stamp}`;
      const signup = await call('POST', '/api/v1/auth/signup', {
        body: { organization: `Org ${id}`, email: `${id}@example.com`, password: `Corr3ct-Horse-${id}!`, region },
      });
      expect(signup.status, JSON.stringify(signup.data)).toBe(201);
      expect(signup.data.organization).toMatchObject({ homeRegion: region });
      const token = signup.data.accessToken as string;

      const made = await call('POST', '/api/v1/leads', {
        token,
        body: { firstName: 'Ada', lastName: 'Lovelace', company: `Engines ${region}` },
      });
      expect(made.status, JSON.stringify(made.data)).toBe(201);
      const lead = made.data as unknown as Lead;

      const list = await call('GET', '/api/v1/leads', { token });
      expect(list.status).toBe(200);
      expect((list.data.data as Lead[]).map((l) => l.id)).toEqual([lead.id]);

      const one = await call('GET', `/api/v1/leads/${lead.id}`, { token });
      expect(one.status).toBe(200);
      expect(one.data).toMatchObject({ id: lead.id, firstName: 'Ada', company: `Engines ${region}` });
    }
  });

  it('keeps the read cache in the bound KV namespace: a repeated read is a hit, a write makes the next a miss', async () => {
    expect(wranglerSettings().kvNamespaces).toContain('EDGE_KV');
    const id = `workerd-kv-${stamp}`;
    const signup = await call('POST', '/api/v1/auth/signup', {
      body: { organization: `Org ${id}`, email: `${id}@example.com`, password: `Corr3ct-Horse-${id}!` },
    });
    expect(signup.status, JSON.stringify(signup.data)).toBe(201);
    const token = signup.data.accessToken as string;
    const organizationId = (signup.data.organization as { id: string }).id;
    expect((await call('GET', '/api/v1/leads?limit=5', { token })).headers.get('x-cache')).toBe('miss');
    expect((await call('GET', '/api/v1/leads?limit=5', { token })).headers.get('x-cache')).toBe('hit');
    // Miniflare's KV proxy, typed with Workers types that are not installed here: only `list` is read.
    const kv = (await mf.getKVNamespace('EDGE_KV')) as unknown as {
      list(options: { prefix: string }): Promise<{ keys: { name: string }[] }>;
    };
    const { keys } = await kv.list({ prefix: `crm:c:${organizationId}:` });
    expect(keys.length).toBe(1);
    await call('POST', '/api/v1/leads', { token, body: { firstName: 'Ada', lastName: 'Lovelace' } });
    const after = await call('GET', '/api/v1/leads?limit=5', { token });
    expect(after.headers.get('x-cache')).toBe('miss');
    expect((after.data.data as Lead[]).length).toBe(1);
  });

  it('serves a form’s embed script and takes a submission from its allowed origin, in the form’s home region', async () => {
    const region = TEST_REGIONS.at(-1)!;
    const id = `workerd-form-${region}-${stamp}`;
    const signup = await call('POST', '/api/v1/auth/signup', {
      body: { organization: `Org ${id}`, email: `${id}@example.com`, password: `Corr3ct-Horse-${id}!`, region },
    });
    expect(signup.status, JSON.stringify(signup.data)).toBe(201);
    const form = await call('POST', '/api/v1/forms', {
      token: signup.data.accessToken as string,
      body: {
        name: 'Contact',
        fields: [{ name: 'email', label: 'Email', type: 'email', required: true, leadField: 'email' }],
        allowedOrigins: ['https://site.test'],
      },
    });
    expect(form.status, JSON.stringify(form.data)).toBe(201);
    const publicId = form.data.publicId as string;
    const script = await mf.dispatchFetch(`https://edge.test/forms/${publicId}.js`);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await script.text()).toContain(publicId);
    const sent = await mf.dispatchFetch(`https://edge.test/forms/${publicId}/submissions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://site.test' },
      body: JSON.stringify({ email: `${id}@example.com` }),
    });
    expect(sent.status, await sent.clone().text()).toBe(201);
    expect(sent.headers.get('access-control-allow-origin')).toBe('https://site.test');
  });

  it('streams a CSV export through the Worker, and stops the region’s export when the client leaves', async () => {
    const region = TEST_REGIONS[0];
    const id = `workerd-csv-${stamp}`;
    const signup = await call('POST', '/api/v1/auth/signup', {
      body: { organization: `Org ${id}`, email: `${id}@example.com`, password: `Corr3ct-Horse-${id}!`, region },
    });
    expect(signup.status, JSON.stringify(signup.data)).toBe(201);
    const organizationId = (signup.data.organization as { id: string }).id;
    const headers = { authorization: `Bearer ${signup.data.accessToken as string}` };
    const names = await seedStreamedLeads(stack, region, organizationId);
    const download = await mf.dispatchFetch(`https://edge.test${EXPORT_PATH}`, { headers });
    await expectStreamedExport(download as unknown as Response, names);

    const watch = watchRegionExport(stack, region, organizationId);
    try {
      const client = new AbortController();
      const response = await mf.dispatchFetch(`https://edge.test${EXPORT_PATH}`, { headers, signal: client.signal });
      const first = await response.body!.getReader().read();
      expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(first.value)).toMatch(/^\ufeffid,firstName,/);
      client.abort();
      await watch.cancelled();
    } finally {
      watch.restore();
    }
  });

  it('streams a CSV upload through the Worker into the region, and cuts one past its limit with a 413', async () => {
    const region = TEST_REGIONS[0];
    const id = `workerd-upload-${stamp}`;
    const signup = await call('POST', '/api/v1/auth/signup', {
      body: { organization: `Org ${id}`, email: `${id}@example.com`, password: `Corr3ct-Horse-${id}!`, region },
    });
    expect(signup.status, JSON.stringify(signup.data)).toBe(201);
    const headers = {
      authorization: `Bearer ${signup.data.accessToken as string}`,
      'content-type': UPLOAD_CONTENT_TYPE,
    };
    const rows = 60_000;
    // Its second half waits until the region is writing the file: a Worker that held the body would never get there.
    const storing = regionStoring(stack, region);
    const body = multipartStream({ csv: { rows }, holdAfter: 2 * 1024 * 1024, gate: storing });
    const created = await mf.dispatchFetch('https://edge.test/api/v1/imports', {
      method: 'POST',
      headers,
      body: body as never,
      duplex: 'half',
    });
    expectImportCreated(created.status, (await created.json()) as Record<string, unknown>, rows);

    const before = await storedFiles(stack, region);
    const tooLarge = await mf.dispatchFetch('https://edge.test/api/v1/imports', {
      method: 'POST',
      headers,
      body: multipartStream({ csv: { rows: 200_000 } }) as never,
      duplex: 'half',
    });
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as Json).error).toMatchObject({ code: 'payload_too_large' });
    await vi.waitFor(async () => expect(await storedFiles(stack, region)).toEqual(before), { timeout: 10_000 });
  });

  it('refuses a call without a token with the 401 error envelope', async () => {
    const reply = await call('GET', '/api/v1/leads');
    expect(reply.status).toBe(401);
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
    expect(reply.data.error).toMatchObject({ code: 'unauthorized', message: expect.any(String) });
    expect(reply.data.error?.requestId).toMatch(/\S/);
  });
});
