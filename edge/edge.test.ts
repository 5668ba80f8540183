import { createServer } from 'node:net';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leads } from '../db/schema/index.ts';
import { apiClient, type Reply } from '../test/support/api.ts';
import { expectError } from '../test/support/envelope.ts';
import { startTestStack, TEST_SECRET, type TestStack } from '../test/support/stack.ts';
import { createEdgeApp, type EdgeOptions } from './app.ts';

type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;

const WINDOW_SECONDS = 60;
const generous = { perOrganization: 100_000, perIp: 100_000, windowSeconds: WINDOW_SECONDS };

let stack: TestStack;
/** The stack's own edge: 5 requests per organization a window, as the suite's rate-limit tests need. */
let api: ReturnType<typeof apiClient>;
const extraEdges: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  stack = await startTestStack({ edge: { rateLimit: { perOrganization: 5, perIp: 1000, windowSeconds: 60 } } });
  api = apiClient(stack.edgeUrl);
});
afterAll(async () => {
  await Promise.all(extraEdges.map((edge) => edge.close()));
  await stack?.stop();
});

/** Another edge over the same running regions, for settings the stack's own edge does not have. */
async function startEdge(overrides: Partial<EdgeOptions>) {
  const app = createEdgeApp({
    regions: stack.regionUrls,
    defaultRegion: 'us',
    sharedSecret: TEST_SECRET,
    rateLimit: generous,
    clientIp: (c) => getConnInfo(c).remote.address,
    ...overrides,
  });
  const { server, url } = await new Promise<{ server: ReturnType<typeof serve>; url: string }>((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve({ server, url: `http://127.0.0.1:${info.port}` }),
    );
  });
  const edge = { url, api: apiClient(url), close: () => new Promise<void>((done) => server.close(() => done())) };
  extraEdges.push(edge);
  return edge;
}

/** A URL nothing listens on: a port the OS handed out and that was closed again. */
async function closedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/**
 * Fixed windows restart on the minute; a burst that straddled the boundary would be counted in two windows.
 * Waiting out the last seconds of a window is not a timing assertion, only a way to keep the burst in one.
 */
async function awayFromWindowEdge() {
  const left = WINDOW_SECONDS * 1000 - (Date.now() % (WINDOW_SECONDS * 1000));
  if (left < 10_000) await new Promise((resolve) => setTimeout(resolve, left + 250));
}

async function storedLeads(session: Session): Promise<number> {
  const { shards } = stack.regions[session.organization.homeRegion]!.ctx;
  const [row] = await shards.withTenant(session.organization.id, (tx) => tx.select({ n: count() }).from(leads));
  return row!.n;
}

function expectRateLimited(reply: Reply, limit: number) {
  expectError(reply, 429, 'rate_limited');
  expect(reply.headers.get('ratelimit-limit')).toBe(String(limit));
  expect(reply.headers.get('ratelimit-remaining')).toBe('0');
  const reset = Number(reply.headers.get('ratelimit-reset'));
  const retryAfter = Number(reply.headers.get('retry-after'));
  expect(Number.isInteger(reset) && reset >= 1 && reset <= WINDOW_SECONDS, `reset ${reset}`).toBe(true);
  expect(retryAfter).toBe(reset);
}

describe('rate limits', () => {
  it('limits each organization to its quota a window, with the RateLimit headers; other organizations go on', async () => {
    const [a, b] = await Promise.all([api.signup('rl-org-a'), api.signup('rl-org-b')]);
    await awayFromWindowEdge();
    for (let i = 1; i <= 5; i++) {
      const reply = await api.call('GET', `/api/v1/leads?n=${i}`, { token: a.token });
      expect(reply.status, JSON.stringify(reply.data)).toBe(200);
      // The tightest limit applies, so that is the one the headers describe (not the per-IP one).
      expect(reply.headers.get('ratelimit-limit')).toBe('5');
      expect(reply.headers.get('ratelimit-remaining')).toBe(String(5 - i));
      expect(Number(reply.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    }
    expectRateLimited(await api.call('GET', '/api/v1/leads', { token: a.token }), 5);
    // Refused before it reaches the region: nothing is written.
    expectRateLimited(await api.call('POST', '/api/v1/leads', { token: a.token, body: { firstName: 'Late' } }), 5);
    expect(await storedLeads(a)).toBe(0);

    const other = await api.call('GET', '/api/v1/leads', { token: b.token });
    expect(other.status).toBe(200);
    expect(other.headers.get('ratelimit-remaining')).toBe('4');
  });

  it('limits unauthenticated login attempts per client IP, even with the right password', async () => {
    const user = await api.signup('rl-login');
    // Without a clientIp option the edge trusts cf-connecting-ip, as on Cloudflare.
    const edge = await startEdge({
      rateLimit: { perOrganization: 1000, perIp: 3, windowSeconds: WINDOW_SECONDS },
      clientIp: undefined,
    });
    const attempt = (ip: string, password: string) =>
      edge.api.call('POST', '/api/v1/auth/login', {
        body: { email: user.user.email, password },
        headers: { 'cf-connecting-ip': ip },
      });
    await awayFromWindowEdge();
    for (let i = 1; i <= 3; i++) {
      const reply = await attempt('203.0.113.7', `wrong-password-${i}`);
      expectError(reply, 401, 'invalid_credentials');
      expect(reply.headers.get('ratelimit-limit')).toBe('3');
      expect(reply.headers.get('ratelimit-remaining')).toBe(String(3 - i));
    }
    expectRateLimited(await attempt('203.0.113.7', 'wrong-password-4'), 3);
    expectRateLimited(await attempt('203.0.113.7', user.password), 3);

    const elsewhere = await attempt('198.51.100.20', user.password);
    expect(elsewhere.status, JSON.stringify(elsewhere.data)).toBe(200);
    expect(elsewhere.data.accessToken).toEqual(expect.any(String));
  });
});

describe('read cache', () => {
  let edge: Awaited<ReturnType<typeof startEdge>>;
  beforeAll(async () => {
    edge = await startEdge({});
  });

  it('names every response, relayed or cached, with its request id', async () => {
    const { token } = await api.signup('request-id');
    for (let i = 0; i < 2; i++) {
      const reply = await api.call('GET', '/api/v1/leads', { token });
      expect(reply.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
    const missing = await api.call('GET', '/api/v1/leads/not-a-uuid', { token });
    expect(missing.headers.get('x-request-id')).toBe(missing.data.error.requestId);
  });

  it('answers a repeated GET from the cache', async () => {
    const org = await edge.api.signup('cache-hit');
    const made = await edge.api.call('POST', '/api/v1/leads', { token: org.token, body: { firstName: 'Cached' } });
    for (const path of ['/api/v1/leads', `/api/v1/leads/${made.data.id}`, '/api/v1/me']) {
      const first = await edge.api.call('GET', path, { token: org.token });
      expect(first.status, path).toBe(200);
      expect(first.headers.get('x-cache'), path).toBe('miss');
      const second = await edge.api.call('GET', path, { token: org.token });
      expect(second.headers.get('x-cache'), path).toBe('hit');
      expect(second.status).toBe(200);
      expect(second.data).toEqual(first.data);
      expect(second.headers.get('content-type')).toMatch(/application\/json/);
      expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
    }
  });

  it('shows a write through the edge on the next read (read-your-writes)', async () => {
    const org = await edge.api.signup('cache-ryw');
    const made = await edge.api.call('POST', '/api/v1/leads', { token: org.token, body: { firstName: 'Before' } });
    const path = `/api/v1/leads/${made.data.id}`;
    await edge.api.call('GET', path, { token: org.token });
    await edge.api.call('GET', '/api/v1/leads', { token: org.token });
    expect((await edge.api.call('GET', path, { token: org.token })).headers.get('x-cache')).toBe('hit');
    expect((await edge.api.call('GET', '/api/v1/leads', { token: org.token })).headers.get('x-cache')).toBe('hit');

    const patched = await edge.api.call('PATCH', path, { token: org.token, body: { firstName: 'After' } });
    expect(patched.status).toBe(200);
    const read = await edge.api.call('GET', path, { token: org.token });
    expect(read.headers.get('x-cache')).toBe('miss');
    expect(read.data).toMatchObject({ firstName: 'After', version: 2 });
    expect(read.headers.get('etag')).toBe('"v2"');
    const list = await edge.api.call('GET', '/api/v1/leads', { token: org.token });
    expect(list.data.data[0]).toMatchObject({ id: made.data.id, firstName: 'After' });

    const second = await edge.api.call('POST', '/api/v1/leads', { token: org.token, body: { firstName: 'Second' } });
    const relisted = await edge.api.call('GET', '/api/v1/leads', { token: org.token });
    expect(relisted.data.data.map((l: { id: string }) => l.id)).toEqual([second.data.id, made.data.id]);

    expect((await edge.api.call('DELETE', path, { token: org.token })).status).toBe(204);
    expectError(await edge.api.call('GET', path, { token: org.token }), 404, 'not_found');
  });

  it('never answers one organization, or one user, from what another was served', async () => {
    const [a, b] = await Promise.all([edge.api.signup('cache-org-a'), edge.api.signup('cache-org-b')]);
    const lead = await edge.api.call('POST', '/api/v1/leads', { token: a.token, body: { firstName: 'Secret' } });
    const leadPath = `/api/v1/leads/${lead.data.id}`;
    for (const path of ['/api/v1/leads', leadPath, '/api/v1/me']) {
      await edge.api.call('GET', path, { token: a.token });
      expect((await edge.api.call('GET', path, { token: a.token })).headers.get('x-cache'), path).toBe('hit');
    }

    const listB = await edge.api.call('GET', '/api/v1/leads', { token: b.token });
    expect(listB.headers.get('x-cache')).toBe('miss');
    expect(listB.data).toEqual({ data: [], nextCursor: null });
    const leadB = await edge.api.call('GET', leadPath, { token: b.token });
    expectError(leadB, 404, 'not_found');
    const meB = await edge.api.call('GET', '/api/v1/me', { token: b.token });
    expect(meB.data.organization.id).toBe(b.organization.id);

    // Within one organization, a sales rep sees only their own leads, so they must not get the admin's page.
    const rep = await edge.api.member(a.token, 'sales_rep');
    const listRep = await edge.api.call('GET', '/api/v1/leads', { token: rep.token });
    expect(listRep.headers.get('x-cache')).toBe('miss');
    expect(listRep.data.data).toEqual([]);
    expectError(await edge.api.call('GET', leadPath, { token: rep.token }), 404, 'not_found');
  });

  it('keeps If-None-Match working on cached and uncached reads', async () => {
    const org = await edge.api.signup('cache-304');
    const made = await edge.api.call('POST', '/api/v1/leads', { token: org.token, body: { firstName: 'Tagged' } });
    const path = `/api/v1/leads/${made.data.id}`;
    const miss = await edge.api.call('GET', path, { token: org.token, headers: { 'if-none-match': '"v1"' } });
    expect(miss.status).toBe(304);
    await edge.api.call('GET', path, { token: org.token });
    const hit = await edge.api.call('GET', path, { token: org.token, headers: { 'if-none-match': '"v1"' } });
    expect(hit.status).toBe(304);
  });
});

describe('a region that is down', () => {
  let session: Session;
  let euSession: Session;
  beforeAll(async () => {
    const edge = await startEdge({});
    [session, euSession] = await Promise.all([
      edge.api.signup('down-us'),
      edge.api.signup('down-eu', { region: 'eu' }),
    ]);
  });

  it('answers 503 region_unavailable for requests that must reach it, and serves the other regions', async () => {
    const edge = await startEdge({ regions: { us: stack.regionUrls.us!, eu: await closedUrl() } });
    const signup = await edge.api.call('POST', '/api/v1/auth/signup', {
      body: {
        organization: `Org ${api.unique('down')}`,
        email: `${api.unique('down')}@example.com`,
        password: 'Corr3ct-Horse-Battery!',
        region: 'eu',
      },
    });
    expectError(signup, 503, 'region_unavailable', 'signup');
    expect(signup.data.error.message).toMatch(/eu/);

    const login = await edge.api.call('POST', '/api/v1/auth/login', {
      body: { email: euSession.user.email, password: euSession.password },
    });
    expectError(login, 503, 'region_unavailable', 'login');

    // A valid token whose issuing region cannot be asked for its keys is not the caller's fault: 503, not 401.
    const read = await edge.api.call('GET', '/api/v1/leads', { token: euSession.token });
    expectError(read, 503, 'region_unavailable', 'read');

    const healthy = await edge.api.call('GET', '/api/v1/leads', { token: session.token });
    expect(healthy.status).toBe(200);
  });

  it('answers 503 when the region that keeps the directory is down', async () => {
    const edge = await startEdge({ regions: { us: await closedUrl(), eu: stack.regionUrls.eu! } });
    const login = await edge.api.call('POST', '/api/v1/auth/login', {
      body: { email: session.user.email, password: session.password },
    });
    expectError(login, 503, 'region_unavailable', 'login');
    expect(JSON.stringify(login.data)).not.toMatch(/ECONNREFUSED|fetch failed/);
  });

  it('answers 503 when a region is down after the edge already knows its keys', async () => {
    const downUrl = await closedUrl();
    let down = false;
    const edge = await startEdge({
      fetch: (input, init) => {
        const url = input instanceof Request ? input.url : String(input);
        return down && url.startsWith(stack.regionUrls.eu!) ? fetch(downUrl, init) : fetch(input, init);
      },
    });
    expect((await edge.api.call('GET', '/api/v1/leads', { token: euSession.token })).status).toBe(200);
    down = true;
    const reply = await edge.api.call('POST', '/api/v1/leads', { token: euSession.token, body: { firstName: 'Lost' } });
    expectError(reply, 503, 'region_unavailable');
  });
});

describe('documentation', () => {
  it('serves the OpenAPI document and the reference page', async () => {
    const document = await api.call('GET', '/openapi.json');
    expect(document.status).toBe(200);
    expect(document.headers.get('content-type')).toMatch(/application\/json/);
    expect(document.data.openapi).toBe('3.1.0');
    expect(Object.keys(document.data.paths)).toEqual(expect.arrayContaining(['/api/v1/leads', '/api/v1/leads/{id}']));
    const docs = await api.call('GET', '/docs');
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toMatch(/text\/html/);
    expect(String(docs.data)).toMatch(/openapi\.json/);
  });
});
