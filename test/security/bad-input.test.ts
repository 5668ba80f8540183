import { request as httpRequest } from 'node:http';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leads } from '../../db/schema/index.ts';
import { encodeJson } from '../../edge/protocol/encoding.ts';
import { apiClient, type Reply } from '../support/api.ts';
import { expectError } from '../support/envelope.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let admin: Session;
let leadId: string;

const LEADS = '/api/v1/leads';
const MB = 1024 * 1024;

/** Read straight from the organization's shard: the edge's list cache could hide a write that slipped through. */
async function storedLeads(session: Session = admin): Promise<number> {
  const { shards } = stack.regions[session.organization.homeRegion]!.ctx;
  const [row] = await shards.withTenant(session.organization.id, (tx) => tx.select({ n: count() }).from(leads));
  return row!.n;
}

/** The envelope, and nothing of the server's insides: no stack frames, source paths or exception names. */
function expectRefusal(reply: Reply, status: number, code?: string, label = '') {
  expectError(reply, status, code, label);
  const text = JSON.stringify(reply.data);
  expect(text, label).not.toMatch(/\bat .+:\d+:\d+|\.ts:\d+|node_modules|\bstack\b|TypeError|SyntaxError/);
  for (const key of Object.keys(reply.data.error)) {
    expect(['code', 'message', 'requestId', 'details'], label).toContain(key);
  }
}

/** The paths named in a validation failure's details. */
const pathsOf = (reply: Reply): string[] => (reply.data?.error?.details ?? []).map((d: { path: string }) => d.path);

/**
 * Sends a request over a raw socket, so a test controls what fetch would not let it: a Content-Length larger than
 * what is sent, or a chunked body that never ends. Resolves with the answer and leaves the upload hanging.
 */
function rawPost(
  path: string,
  headers: Record<string, string>,
  write: (chunk: (data: string) => void) => void,
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, stack.edgeUrl);
    const req = httpRequest(url, { method: 'POST', headers, timeout: 20_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
      });
    });
    req.on('timeout', () => req.destroy(new Error('the edge did not answer while the upload was still open')));
    // Once the edge has answered, it may close the socket under the rest of the upload; that is fine.
    req.on('error', (error) => reject(error));
    write((data) => req.write(data));
  });
}

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.edgeUrl);
  admin = await api.signup('bad-input');
  const made = await api.call('POST', LEADS, { token: admin.token, body: { firstName: 'Baseline' } });
  expect(made.status).toBe(201);
  leadId = made.data.id;
});
afterAll(() => stack?.stop());

describe('malformed bodies', () => {
  it('answers 400 invalid_json to a body that is not JSON, and writes nothing', async () => {
    const before = await storedLeads();
    for (const raw of ['{"firstName": "Ada",', "{'firstName': 'Ada'}", '{"firstName": "Ada"} trailing', 'undefined']) {
      const reply = await api.call('POST', LEADS, { token: admin.token, raw });
      expectRefusal(reply, 400, 'invalid_json', raw);
    }
    const patched = await api.call('PATCH', `${LEADS}/${leadId}`, { token: admin.token, raw: '{"title":' });
    expectRefusal(patched, 400, 'invalid_json', 'PATCH');
    expect(await storedLeads()).toBe(before);
  });

  it('answers 400 validation_failed to JSON that is not an object', async () => {
    for (const raw of ['null', '[]', '"Ada"', '42', 'true']) {
      expectRefusal(await api.call('POST', LEADS, { token: admin.token, raw }), 400, 'validation_failed', raw);
    }
  });

  it('answers 415 to a body that is not sent as JSON', async () => {
    const before = await storedLeads();
    const cases: [string, string][] = [
      ['text/plain', '{"firstName":"Ada"}'],
      ['text/plain;charset=UTF-8', '{"firstName":"Ada"}'],
      ['application/x-www-form-urlencoded', 'firstName=Ada'],
      [
        'multipart/form-data; boundary=x',
        '--x\r\nContent-Disposition: form-data; name="firstName"\r\n\r\nAda\r\n--x--',
      ],
      ['application/xml', '<lead><firstName>Ada</firstName></lead>'],
    ];
    for (const [type, raw] of cases) {
      const reply = await api.call('POST', LEADS, { token: admin.token, raw, headers: { 'content-type': type } });
      expectRefusal(reply, 415, 'unsupported_media_type', type);
    }
    const login = await api.call('POST', '/api/v1/auth/login', {
      raw: 'email=a%40example.com&password=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectRefusal(login, 415, 'unsupported_media_type', 'login form');
    expect(await storedLeads()).toBe(before);
  });

  it('answers 400 to an empty body on POST /api/v1/leads, with or without a content type', async () => {
    const before = await storedLeads();
    const bare = await api.call('POST', LEADS, { token: admin.token });
    expectRefusal(bare, 400, 'validation_failed', 'no body');
    expect(pathsOf(bare)).toContain('firstName');
    const typed = await api.call('POST', LEADS, {
      token: admin.token,
      raw: '',
      headers: { 'content-type': 'application/json' },
    });
    expectRefusal(typed, 400, 'invalid_json', 'empty JSON body');
    const emptyObject = await api.call('POST', LEADS, { token: admin.token, body: {} });
    expectRefusal(emptyObject, 400, 'validation_failed', '{}');
    expect(emptyObject.data.error.details[0].message).toMatch(/name, an email or a phone/);
    const emptyPatch = await api.call('PATCH', `${LEADS}/${leadId}`, { token: admin.token, body: {} });
    expectRefusal(emptyPatch, 400, 'validation_failed', 'empty PATCH');
    expect(await storedLeads()).toBe(before);
  });

  it('accepts a body-less DELETE even when the client labels it JSON', async () => {
    const made = await api.call('POST', LEADS, { token: admin.token, body: { firstName: 'Labelled' } });
    const reply = await api.call('DELETE', `${LEADS}/${made.data.id}`, {
      token: admin.token,
      headers: { 'content-type': 'application/json' },
    });
    expect(reply.status, JSON.stringify(reply.data)).toBe(204);
  });
});

describe('fields', () => {
  it('refuses unknown fields and names each one, so nothing can be mass-assigned', async () => {
    const before = await storedLeads();
    const unknown: Record<string, unknown>[] = [
      { isAdmin: true },
      { organizationId: admin.organization.id },
      { id: '0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e' },
      { score: 100 },
      { version: 7 },
      { createdBy: admin.user.id },
    ];
    for (const extra of unknown) {
      const [field] = Object.keys(extra);
      const reply = await api.call('POST', LEADS, { token: admin.token, body: { firstName: 'Ada', ...extra } });
      expectRefusal(reply, 400, 'validation_failed', field);
      expect(pathsOf(reply), field).toContain(field);
    }
    const proto = await api.call('POST', LEADS, {
      token: admin.token,
      raw: '{"firstName":"Ada","__proto__":{"isAdmin":true}}',
    });
    expectRefusal(proto, 400, 'validation_failed', '__proto__');
    expect(pathsOf(proto)).toContain('__proto__');
    const two = await api.call('PATCH', `${LEADS}/${leadId}`, {
      token: admin.token,
      body: { title: 'CEO', score: 100, owner: 'me' },
    });
    expectRefusal(two, 400, 'validation_failed', 'PATCH');
    expect(pathsOf(two)).toEqual(expect.arrayContaining(['score', 'owner']));
    expect(await storedLeads()).toBe(before);
    const lead = await api.call('GET', `${LEADS}/${leadId}?fresh=${api.unique('r')}`, { token: admin.token });
    expect(lead.data.title).toBeNull();
  });

  it('refuses wrongly typed fields, naming the field', async () => {
    const before = await storedLeads();
    const cases: [string, Record<string, unknown>][] = [
      ['firstName', { firstName: 42 }],
      ['firstName', { firstName: null }],
      ['firstName', { firstName: ['Ada'] }],
      ['firstName', { firstName: { first: 'Ada' } }],
      ['email', { firstName: 'Ada', email: 'not-an-email' }],
      ['email', { firstName: 'Ada', email: 'ada@' }],
      ['email', { firstName: 'Ada', email: 7 }],
      ['status', { firstName: 'Ada', status: 'hot' }],
      ['status', { firstName: 'Ada', status: 'NEW' }],
      ['ownerId', { firstName: 'Ada', ownerId: 'not-a-uuid' }],
      ['ownerId', { firstName: 'Ada', ownerId: 12345 }],
      ['phone', { firstName: 'Ada', phone: 'call me maybe' }],
      ['company', { firstName: 'Ada', company: true }],
    ];
    for (const [field, body] of cases) {
      const reply = await api.call('POST', LEADS, { token: admin.token, body });
      expectRefusal(reply, 400, 'validation_failed', JSON.stringify(body));
      expect(pathsOf(reply), JSON.stringify(body)).toContain(field);
    }
    const patch = await api.call('PATCH', `${LEADS}/${leadId}`, { token: admin.token, body: { status: 'hot' } });
    expectRefusal(patch, 400, 'validation_failed', 'PATCH status');
    expect(pathsOf(patch)).toContain('status');
    expect(await storedLeads()).toBe(before);
  });

  it('refuses an ownerId that is a well-formed UUID but no member of the organization', async () => {
    const before = await storedLeads();
    const reply = await api.call('POST', LEADS, {
      token: admin.token,
      body: { firstName: 'Ada', ownerId: '0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e' },
    });
    expectRefusal(reply, 400, 'unknown_owner');
    expect(pathsOf(reply)).toContain('ownerId');
    expect(await storedLeads()).toBe(before);
  });

  it('refuses over-long strings, naming the field', async () => {
    const before = await storedLeads();
    const cases: [string, Record<string, unknown>][] = [
      ['firstName', { firstName: 'a'.repeat(101) }],
      ['lastName', { lastName: 'a'.repeat(101) }],
      ['company', { firstName: 'Ada', company: 'c'.repeat(201) }],
      ['title', { firstName: 'Ada', title: 't'.repeat(201) }],
      ['source', { firstName: 'Ada', source: 's'.repeat(101) }],
      ['email', { firstName: 'Ada', email: `${'a'.repeat(250)}@example.com` }],
      ['phone', { firstName: 'Ada', phone: '1'.repeat(41) }],
    ];
    for (const [field, body] of cases) {
      const reply = await api.call('POST', LEADS, { token: admin.token, body });
      expectRefusal(reply, 400, 'validation_failed', field);
      expect(pathsOf(reply), field).toContain(field);
    }
    expect(await storedLeads()).toBe(before);
  });

  it('refuses NUL characters and unpaired surrogates, which PostgreSQL cannot store, with a 400', async () => {
    const before = await storedLeads();
    const cases: [string, string][] = [
      ['firstName', '{"firstName":"Ada\\u0000"}'],
      ['lastName', '{"firstName":"Ada","lastName":"\\u0000Lovelace"}'],
      ['company', '{"firstName":"Ada","company":"Analytical\\u0000Engines"}'],
      ['title', '{"firstName":"Ada","title":"CEO\\u0000"}'],
      ['source', '{"firstName":"Ada","source":"web\\u0000form"}'],
      ['firstName', '{"firstName":"Ada\\ud800"}'],
      ['company', '{"firstName":"Ada","company":"\\udc00Engines"}'],
    ];
    for (const [field, raw] of cases) {
      const reply = await api.call('POST', LEADS, { token: admin.token, raw });
      expectRefusal(reply, 400, 'validation_failed', raw);
      expect(pathsOf(reply), raw).toContain(field);
    }
    const patch = await api.call('PATCH', `${LEADS}/${leadId}`, { token: admin.token, raw: '{"title":"x\\u0000"}' });
    expectRefusal(patch, 400, 'validation_failed', 'PATCH');
    const query = await api.call('GET', `${LEADS}?source=web%00form`, { token: admin.token });
    expectRefusal(query, 400, 'validation_failed', 'query');
    expect(pathsOf(query)).toContain('source');
    expect(await storedLeads()).toBe(before);

    // A correctly paired surrogate (an emoji) is ordinary text.
    const emoji = await api.call('POST', LEADS, { token: admin.token, body: { firstName: 'Ada 🚀' } });
    expect(emoji.status).toBe(201);
    expect(emoji.data.firstName).toBe('Ada 🚀');
  });

  it('refuses deeply nested JSON with a 400, not a crash or a hang', async () => {
    const before = await storedLeads();
    const depth = 100_000;
    const nestedArray = `{"firstName":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const arrays = await api.call('POST', LEADS, { token: admin.token, raw: nestedArray });
    expectRefusal(arrays, 400, 'validation_failed', 'nested arrays');
    expect(pathsOf(arrays)).toContain('firstName');

    const nestedObject = `{"firstName":"Ada","extra":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
    const objects = await api.call('POST', LEADS, { token: admin.token, raw: nestedObject });
    expectRefusal(objects, 400, 'validation_failed', 'nested objects');
    expect(pathsOf(objects)).toContain('extra');

    const topLevel = await api.call('POST', LEADS, {
      token: admin.token,
      raw: `${'['.repeat(depth)}${']'.repeat(depth)}`,
    });
    expectRefusal(topLevel, 400, 'validation_failed', 'top-level nesting');

    const signup = await api.call('POST', '/api/v1/auth/signup', {
      raw: `{"organization":${'['.repeat(depth)}${']'.repeat(depth)}}`,
    });
    expectRefusal(signup, 400, 'validation_failed', 'signup');
    expect(await storedLeads()).toBe(before);
    expect((await api.call('GET', '/health')).status).toBe(200);
  });
});

describe('body size', () => {
  it('answers 413 to a 2 MB body and writes nothing', async () => {
    const before = await storedLeads();
    const reply = await api.call('POST', LEADS, { token: admin.token, body: { firstName: 'x'.repeat(2 * MB) } });
    expectRefusal(reply, 413, 'payload_too_large');
    const patch = await api.call('PATCH', `${LEADS}/${leadId}`, {
      token: admin.token,
      body: { title: 'x'.repeat(2 * MB) },
    });
    expectRefusal(patch, 413, 'payload_too_large', 'PATCH');
    expect(await storedLeads()).toBe(before);
    // The refused connection must not poison the client's next requests on a reused keep-alive socket.
    for (let i = 0; i < 5; i++) {
      expect((await api.call('GET', `${LEADS}/${leadId}`, { token: admin.token })).status).toBe(200);
    }
  });

  it('answers from the declared Content-Length, without waiting for the upload to finish', async () => {
    const before = await storedLeads();
    const reply = await rawPost(
      LEADS,
      {
        authorization: `Bearer ${admin.token}`,
        'content-type': 'application/json',
        'content-length': String(2 * MB),
      },
      (write) => write('{"firstName":"'),
    );
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body).error.code).toBe('payload_too_large');
    expect(await storedLeads()).toBe(before);
  });

  it('stops reading a chunked upload once it passes the limit, without waiting for its end', async () => {
    const before = await storedLeads();
    const reply = await rawPost(
      LEADS,
      { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      (write) => {
        write('{"firstName":"');
        for (let i = 0; i < 34; i++) write('x'.repeat(64 * 1024));
      },
    );
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body).error.code).toBe('payload_too_large');
    expect(await storedLeads()).toBe(before);
    for (let i = 0; i < 3; i++) expect((await api.call('GET', '/health')).status).toBe(200);
  });

  it('still accepts a body just under the limit', async () => {
    const reply = await api.call('POST', LEADS, {
      token: admin.token,
      body: { firstName: 'Ada', unknownButLarge: 'x'.repeat(MB - 200) },
    });
    // Under the limit, so it reaches validation (which refuses the unknown field) rather than the size check.
    expectRefusal(reply, 400, 'validation_failed');
  });
});

describe('paths, methods and queries', () => {
  it('answers 400 to an id that is not a UUID, for every method', async () => {
    for (const id of ['not-a-uuid', '123', '0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8', "1'%20OR%20'1'='1", '%00']) {
      for (const method of ['GET', 'PATCH', 'DELETE']) {
        const reply = await api.call(method, `${LEADS}/${id}`, {
          token: admin.token,
          ...(method === 'PATCH' ? { body: { title: 'CEO' } } : {}),
        });
        expectRefusal(reply, 400, 'validation_failed', `${method} ${id}`);
        expect(pathsOf(reply), `${method} ${id}`).toContain('id');
      }
    }
  });

  it('answers 404 for a well-formed id that does not exist', async () => {
    const reply = await api.call('GET', `${LEADS}/0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e`, { token: admin.token });
    expectRefusal(reply, 404, 'not_found');
  });

  it('answers 404 route_not_found to an unknown route', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/nope'],
      ['GET', '/api/v2/leads'],
      ['POST', '/api/v1/leads/bulk/import'],
      ['GET', '/nope'],
      ['GET', '/api/v1/leads/0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e/notes'],
    ] as const) {
      const reply = await api.call(method, path, { token: admin.token, ...(method === 'POST' ? { body: {} } : {}) });
      expectRefusal(reply, 404, 'route_not_found', `${method} ${path}`);
    }
  });

  it('answers 405 with Allow to a method a known path does not serve', async () => {
    const before = await storedLeads();
    for (const [method, path, allowed] of [
      ['PUT', LEADS, ['GET', 'POST']],
      ['DELETE', LEADS, ['GET', 'POST']],
      ['PATCH', LEADS, ['GET', 'POST']],
      ['PUT', `${LEADS}/${leadId}`, ['GET', 'PATCH', 'DELETE']],
      ['POST', `${LEADS}/${leadId}`, ['GET', 'PATCH', 'DELETE']],
      ['GET', '/api/v1/auth/login', ['POST']],
    ] as const) {
      const reply = await api.call(method, path, {
        token: admin.token,
        ...(method === 'GET' || method === 'DELETE' ? {} : { body: { firstName: 'Ada' } }),
      });
      expectRefusal(reply, 405, 'method_not_allowed', `${method} ${path}`);
      const allow = (reply.headers.get('allow') ?? '').split(/,\s*/);
      expect(allow, `${method} ${path}`).toEqual(expect.arrayContaining([...allowed]));
      expect(allow).not.toContain(method);
    }
    expect(await storedLeads()).toBe(before);
  });

  it('answers 400 to a bad limit, naming it', async () => {
    for (const limit of ['0', '201', '-1', '2.5', 'ten', '', '1e9', '%00']) {
      const reply = await api.call('GET', `${LEADS}?limit=${limit}`, { token: admin.token });
      expectRefusal(reply, 400, 'validation_failed', `limit=${limit}`);
      expect(pathsOf(reply), `limit=${limit}`).toContain('limit');
    }
  });

  it('answers 400 invalid_cursor to a forged or damaged cursor', async () => {
    const forged = [
      'garbage',
      'eyJ2IjoxfQ',
      encodeJson({ v: 2, id: leadId }),
      encodeJson({ v: 1, id: 42 }),
      encodeJson({ v: 1, id: 'f'.repeat(36) }),
      encodeJson({ v: 1, id: '-'.repeat(36) }),
      encodeJson({ v: 1, id: `${leadId.slice(0, 35)}g` }),
      encodeJson({ v: 1, id: "' OR 1=1 --" }),
      encodeJson([leadId]),
      encodeJson(null),
      '\u0000',
      '!!!',
    ];
    for (const cursor of forged) {
      const reply = await api.call('GET', `${LEADS}?cursor=${encodeURIComponent(cursor)}`, { token: admin.token });
      expectRefusal(reply, 400, 'invalid_cursor', cursor);
      expect(pathsOf(reply)).toEqual(['cursor']);
    }
    const tooLong = await api.call('GET', `${LEADS}?cursor=${'a'.repeat(2001)}`, { token: admin.token });
    expectRefusal(tooLong, 400, 'validation_failed', 'long cursor');
  });

  it('answers 400 to a bad filter', async () => {
    for (const [query, field] of [
      ['status=hot', 'status'],
      ['ownerId=nobody', 'ownerId'],
      [`source=${'s'.repeat(101)}`, 'source'],
    ] as const) {
      const reply = await api.call('GET', `${LEADS}?${query}`, { token: admin.token });
      expectRefusal(reply, 400, 'validation_failed', query);
      expect(pathsOf(reply)).toContain(field);
    }
  });

  it('refuses malformed headers the routes read', async () => {
    const before = await storedLeads();
    const key = await api.call('POST', LEADS, {
      token: admin.token,
      body: { firstName: 'Ada' },
      headers: { 'idempotency-key': 'k'.repeat(201) },
    });
    expectRefusal(key, 400, 'validation_failed', 'long Idempotency-Key');
    expect(pathsOf(key)).toContain('idempotency-key');
    const ifMatch = await api.call('PATCH', `${LEADS}/${leadId}`, {
      token: admin.token,
      body: { title: 'CEO' },
      headers: { 'if-match': `"${'v'.repeat(120)}"` },
    });
    expectRefusal(ifMatch, 400, 'validation_failed', 'long If-Match');
    expect(await storedLeads()).toBe(before);
  });
});

describe('sign-up and sign-in bodies', () => {
  const signupBody = (extra: Record<string, unknown> = {}) => {
    const id = api.unique('bad-signup');
    return { organization: `Org ${id}`, email: `${id}@example.com`, password: 'Corr3ct-Horse-Battery!', ...extra };
  };

  it('refuses a bad sign-up, naming the field, and registers nothing', async () => {
    const cases: [string, Record<string, unknown>][] = [
      ['password', { password: 'short' }],
      ['password', { password: 'p'.repeat(257) }],
      ['password', { password: 1234567890 }],
      ['email', { email: 'not-an-email' }],
      ['email', { email: `${'a'.repeat(250)}@example.com` }],
      ['organization', { organization: 'A' }],
      ['organization', { organization: 'o'.repeat(101) }],
      ['organization', { organization: 'Nul\u0000Org' }],
      ['name', { name: 'Ada\u0000' }],
      ['region', { region: 'MARS!' }],
      ['plan', { plan: 'enterprise' }],
      ['role', { role: 'admin' }],
    ];
    for (const [field, extra] of cases) {
      const body = signupBody(extra);
      const reply = await api.call('POST', '/api/v1/auth/signup', { body });
      expectRefusal(reply, 400, 'validation_failed', JSON.stringify(extra).slice(0, 80));
      expect(pathsOf(reply), field).toContain(field);
      if (field !== 'email') {
        // Nothing was claimed: the same email can still sign up.
        const retry = await api.call('POST', '/api/v1/auth/signup', { body: { ...signupBody(), email: body.email } });
        expect(retry.status, JSON.stringify(retry.data)).toBe(201);
      }
    }
  });

  it('answers 400 unknown_region to a well-formed region the deployment does not have, and registers nothing', async () => {
    const body = signupBody({ region: 'mars' });
    const reply = await api.call('POST', '/api/v1/auth/signup', { body });
    expectRefusal(reply, 400, 'unknown_region');
    expect(pathsOf(reply)).toEqual(['region']);
    const retry = await api.call('POST', '/api/v1/auth/signup', { body: { ...body, region: 'eu' } });
    expect(retry.status, JSON.stringify(retry.data)).toBe(201);
    expect(retry.data.organization.homeRegion).toBe('eu');
  });

  it('refuses a bad sign-in body, and answers a wrong password with the envelope', async () => {
    const cases: [string, Record<string, unknown>][] = [
      ['email', { email: 'nope', password: 'whatever-it-is' }],
      ['password', { email: 'a@example.com', password: '' }],
      ['password', { email: 'a@example.com' }],
      ['remember', { email: 'a@example.com', password: 'x', remember: true }],
    ];
    for (const [field, body] of cases) {
      const reply = await api.call('POST', '/api/v1/auth/login', { body });
      expectRefusal(reply, 400, 'validation_failed', JSON.stringify(body));
      expect(pathsOf(reply)).toContain(field);
    }
    const wrong = await api.call('POST', '/api/v1/auth/login', {
      body: { email: admin.user.email, password: 'not-the-password' },
    });
    expectRefusal(wrong, 401, 'invalid_credentials');
    const forged = await api.call('POST', '/api/v1/auth/refresh', {
      body: { refreshToken: `rt_us_${'f'.repeat(80)}` },
    });
    expectRefusal(forged, 401, 'invalid_refresh_token');
  });

  it('answers 401 in the envelope to missing or malformed credentials', async () => {
    expectRefusal(await api.call('GET', LEADS), 401, 'unauthorized', 'none');
    expectRefusal(
      await api.call('GET', LEADS, { headers: { authorization: 'Basic YTpi' } }),
      401,
      'unauthorized',
      'basic',
    );
    expectRefusal(await api.call('GET', LEADS, { token: 'not.a.jwt.at.all' }), 401, 'invalid_token', 'junk token');
    expectRefusal(
      await api.call('GET', LEADS, { token: `${admin.token.slice(0, -4)}AAAA` }),
      401,
      'invalid_token',
      'tampered',
    );
  });
});
