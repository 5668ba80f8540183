import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { enrol, headers, login } from './test-helpers.ts';

/**
 * An organization that requires MFA holds a member without it to enrolment: their password-only session reaches
 * their profile, MFA enrolment, their sessions and sign-out, and nothing else (403 `mfa_enrolment_required`) until
 * they enrol, from which request on it works. API keys have no second factor to enrol and are not held.
 */
let stack: TestStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
}, 600_000);
afterAll(() => stack?.stop());

/**
 * The live principal re-reads a session's standing every few seconds: wait for a setting to bind. (Polls vary the
 * query: the edge's read cache may keep an answer given just before for its own TTL, as it does after a demotion.)
 */
let poll = 0;
const leads = () => `/api/v1/leads?limit=${(++poll % 190) + 1}`;

async function eventually(check: () => Promise<boolean>, ms = 8_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('did not happen in time');
    await new Promise((done) => setTimeout(done, 250));
  }
}

const requireMfa = (token: string, mfaRequired: boolean) =>
  api.call('PATCH', '/api/v1/organization/security', { token, headers, body: { mfaRequired } });

describe('an organization that requires MFA', () => {
  it('holds a member without MFA to enrolment until they enrol, by the API and not only the web app', async () => {
    const admin = await api.signup('enforce');
    await enrol(api, admin);
    const rep = await api.member(admin.token, 'sales_rep', 'enforce-rep');
    const key = await api.call('POST', '/api/v1/api-keys', {
      token: admin.token,
      body: { name: 'enforce', scopes: ['leads:read', 'leads:create'] },
    });
    expect(key.status).toBe(201);
    expect((await requireMfa(admin.token, true)).status).toBe(200);

    const signedIn = await login(api, rep.email, rep.password);
    expect(signedIn.status).toBe(200);
    expect(signedIn.data.mfaEnrolmentRequired).toBe(true);
    const token = signedIn.data.accessToken as string;
    for (const [method, path, body] of [
      ['GET', '/api/v1/leads', undefined],
      ['POST', '/api/v1/leads', { firstName: 'Held' }],
      ['GET', '/api/v1/search?q=held', undefined],
      ['GET', '/api/v1/users', undefined],
      ['GET', '/api/v1/me/tasks', undefined],
    ] as const) {
      expectError(await api.call(method, path, { token, body }), 403, 'mfa_enrolment_required', `${method} ${path}`);
    }
    // The session made before the requirement is held as well, within the live-principal window.
    await eventually(async () => (await api.call('GET', leads(), { token: rep.token })).status === 403);

    // What enrolment needs answers.
    const me = await api.call('GET', '/api/v1/me', { token });
    expect(me.status).toBe(200);
    expect(me.data.mfaEnrolmentRequired).toBe(true);
    expect((await api.call('GET', '/api/v1/me/mfa', { token })).status).toBe(200);
    expect((await api.call('GET', '/api/v1/me/sessions', { token })).status).toBe(200);
    // An API key has no user to enrol: it keeps working.
    expect((await api.call('GET', '/api/v1/leads', { token: key.data.key })).status).toBe(200);

    await enrol(api, { token });
    // Free from the very next request.
    expect((await api.call('GET', '/api/v1/leads', { token })).status).toBe(200);
    expect((await api.call('POST', '/api/v1/leads', { token, body: { firstName: 'Free' } })).status).toBe(201);
  });

  it('lets an admin who required MFA before enrolling undo it, and binds members again when it is off', async () => {
    const admin = await api.signup('enforce-undo');
    const viewer = await api.member(admin.token, 'viewer', 'enforce-viewer');
    expect((await requireMfa(admin.token, true)).status).toBe(200);
    await eventually(async () => (await api.call('GET', leads(), { token: admin.token })).status === 403);
    expectError(await api.call('GET', leads(), { token: viewer.token }), 403, 'mfa_enrolment_required');
    // Being a viewer does not grant the setting: the permission check still applies.
    expectError(await requireMfa(viewer.token, false), 403, 'forbidden');

    expect((await api.call('GET', '/api/v1/organization/security', { token: admin.token })).status).toBe(200);
    expect((await requireMfa(admin.token, false)).status).toBe(200);
    await eventually(async () => (await api.call('GET', leads(), { token: viewer.token })).status === 200);
    expect((await api.call('GET', leads(), { token: admin.token })).status).toBe(200);
  });

  it('holds a member again once an admin resets their MFA', async () => {
    const admin = await api.signup('enforce-reset');
    await enrol(api, admin);
    const rep = await api.member(admin.token, 'sales_rep', 'enforce-reset-rep');
    await enrol(api, rep);
    expect((await requireMfa(admin.token, true)).status).toBe(200);
    expect((await api.call('GET', '/api/v1/leads', { token: rep.token })).status).toBe(200);
    expect((await api.call('DELETE', `/api/v1/users/${rep.user.id}/mfa`, { token: admin.token, headers })).status).toBe(
      204,
    );
    expectError(await api.call('GET', '/api/v1/leads', { token: rep.token }), 403, 'mfa_enrolment_required');
  });
});
