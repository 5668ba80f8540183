import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
let a: Session;
let b: Session;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.edgeUrl);
  // A's home is eu, which is not the edge's default region: the token alone must route the request there.
  [a, b] = await Promise.all([api.signup('inbound-a', { region: 'eu' }), api.signup('inbound-b', { region: 'us' })]);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

async function endpoint(session: Session) {
  const made = await api.call('POST', '/api/v1/inbound-endpoints', {
    token: session.token,
    body: {
      name: 'Ad platform',
      mapping: { email: 'lead.email', firstName: 'lead.first_name', lastName: 'lead.last_name', company: 'answers.0' },
      defaults: { source: 'ads' },
    },
  });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return made.data as { endpoint: { id: string; prefix: string }; token: string; url: string };
}

describe('inbound webhooks', () => {
  it('creates a lead from a mapped payload, unauthenticated, through the edge, like POST /leads', async () => {
    const { token, url, endpoint: created } = await endpoint(a);
    expect(token).toMatch(/^inb_eu_[0-9a-f]{80}$/);
    expect(url).toBe(`/api/v1/inbound/${token}`);
    expect(token.startsWith(created.prefix)).toBe(true);
    const email = `${api.unique('inbound')}@example.com`;
    const posted = await api.call('POST', url, {
      body: { lead: { email, first_name: 'Grace', last_name: 'Hopper' }, answers: ['US Navy'], ignored: { x: 1 } },
    });
    expect(posted.status, JSON.stringify(posted.data)).toBe(201);
    expect(posted.data.lead).toMatchObject({ email, firstName: 'Grace', company: 'US Navy', source: 'ads' });
    expect(posted.data.lead.score).toEqual(expect.any(Number));
    const read = await api.call('GET', `/api/v1/leads/${posted.data.lead.id}`, { token: a.token });
    expect(read.status).toBe(200);
    expectError(await api.call('GET', `/api/v1/leads/${posted.data.lead.id}`, { token: b.token }), 404);
    const listed = await api.call('GET', '/api/v1/inbound-endpoints', { token: a.token });
    expect(JSON.stringify(listed.data)).not.toContain(token);
    expect(listed.data.data[0].lastUsedAt).toEqual(expect.any(String));
    const audit = await api.call('GET', `/api/v1/audit-log?targetId=${posted.data.lead.id}`, { token: a.token });
    expect(audit.data.data[0]).toMatchObject({ action: 'lead.created' });
  });

  it('answers a payload that maps to no valid lead with a 400 envelope, and unknown tokens with 404', async () => {
    const { url, token, endpoint: created } = await endpoint(a);
    expectError(await api.call('POST', url, { body: { lead: { note: 'no identity' } } }), 400, 'validation_failed');
    expectError(await api.call('POST', url, { body: { lead: { email: 'not-an-email' } } }), 400, 'validation_failed');
    expectError(await api.call('POST', url, { raw: '{not json' }), 400);
    expectError(await api.call('POST', url, { body: ['an', 'array'] }), 400);
    const forged = `${token.slice(0, -4)}0000`;
    expectError(
      await api.call('POST', `/api/v1/inbound/${forged}`, { body: { lead: { email: 'x@example.com' } } }),
      404,
    );
    expectError(await api.call('POST', '/api/v1/inbound/garbage', { body: {} }), 404);
    // Another organization cannot see or delete it; its admin can, and then the URL is gone.
    expectError(await api.call('DELETE', `/api/v1/inbound-endpoints/${created.id}`, { token: b.token }), 404);
    const deleted = await api.call('DELETE', `/api/v1/inbound-endpoints/${created.id}`, { token: a.token });
    expect(deleted.status).toBe(204);
    expectError(await api.call('POST', url, { body: { lead: { email: 'late@example.com' } } }), 404);
  });

  it('is for admins only', async () => {
    const rep = await api.member(a.token, 'sales_rep');
    expectError(await api.call('GET', '/api/v1/inbound-endpoints', { token: rep.token }), 403, 'forbidden');
    expectError(
      await api.call('POST', '/api/v1/inbound-endpoints', {
        token: a.token,
        body: { name: 'empty', mapping: {} },
      }),
      400,
    );
  });
});
