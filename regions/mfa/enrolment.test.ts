import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mfaRecoveryCodes } from '../../db/schema/index.ts';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import {
  auditRows,
  awayFromStepEdge,
  challenge,
  codeAt,
  enrol,
  headers,
  login,
  mfaRow,
  secondStep,
  shardOf,
  USER_AGENT,
} from './test-helpers.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
}, 600_000);
afterAll(() => stack?.stop());

const me = (token: string) => api.call('GET', '/api/v1/me', { token });
const post = (token: string, path: string, body?: unknown) => api.call('POST', path, { token, headers, body });

describe('MFA enrolment', () => {
  it('starts with a secret sealed at rest, refuses a wrong code, and turns on with the right one', async () => {
    const ada = await api.signup('enrol');
    await awayFromStepEdge();
    const started = await post(ada.token, '/api/v1/me/mfa/enrolment');
    expect(started.status, JSON.stringify(started.data)).toBe(200);
    const { secret, otpauthUri, qrCodeSvg } = started.data;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUri).toContain(`secret=${secret}`);
    expect(qrCodeSvg).toMatch(/^<svg /);
    expect(started.data.status).toMatchObject({ enabled: false, pendingEnrolment: true });
    // The database holds the secret sealed for this user only, never as text.
    const stored = await mfaRow(stack, ada);
    expect(stored!.secretSealed).toMatch(/^sb1:/);
    expect(stored!.secretSealed).not.toContain(secret);
    await expect(stack.regions.us!.ctx.secrets.open(stored!.secretSealed, `totp:${ada.user.id}`)).resolves.toBe(secret);
    await expect(stack.regions.us!.ctx.secrets.open(stored!.secretSealed, 'totp:someone-else')).rejects.toThrow();
    // Starting again before confirming shows the same secret (the app that scanned it stays right).
    expect((await post(ada.token, '/api/v1/me/mfa/enrolment')).data.secret).toBe(secret);
    // Sign-in is unchanged until a code confirms it.
    expect((await login(api, ada.user.email, ada.password)).data.accessToken).toEqual(expect.any(String));

    const wrong = await post(ada.token, '/api/v1/me/mfa/enrolment/confirm', { code: '000000' });
    expectError(wrong, 400, 'invalid_mfa_code');
    expect(wrong.data.error.details[0].path).toBe('code');
    expectError(await post(ada.token, '/api/v1/me/mfa/enrolment/confirm', { code: 'abc' }), 400, 'validation_failed');

    const confirmed = await post(ada.token, '/api/v1/me/mfa/enrolment/confirm', { code: await codeAt(secret) });
    expect(confirmed.status, JSON.stringify(confirmed.data)).toBe(200);
    const codes = confirmed.data.recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    expect(confirmed.data.status).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
    expect((await me(ada.token)).data).toMatchObject({
      mfa: { enabled: true, recoveryCodesLeft: 10, enrolmentRequired: false },
      mfaEnrolmentRequired: false,
    });
    expectError(await post(ada.token, '/api/v1/me/mfa/enrolment'), 409, 'mfa_already_enabled');
    // Only hashes of the recovery codes are kept.
    const kept = await shardOf(stack, ada).withTenant(ada.organization.id, (tx) =>
      tx.select().from(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.organizationId, ada.organization.id)),
    );
    expect(kept).toHaveLength(10);
    for (const code of codes) expect(JSON.stringify(kept)).not.toContain(code.replace(/-/g, '').slice(0, 8));

    const audit = await auditRows(stack, ada);
    const enabled = audit.find((row) => row.action === 'auth.mfa_enabled');
    expect(enabled).toMatchObject({ actorType: 'user', actorId: ada.user.id, ip: '127.0.0.1', userAgent: USER_AGENT });
    expect(audit.filter((row) => row.action === 'auth.mfa_failed')).toHaveLength(1);
  });

  it('regenerates recovery codes for a current code only; the old ones stop working', async () => {
    const ada = await api.signup('regenerate');
    const { secret, recoveryCodes } = await enrol(api, ada);
    expectError(await post(ada.token, '/api/v1/me/mfa/recovery-codes', { code: '000000' }), 400, 'invalid_mfa_code');
    const fresh = await post(ada.token, '/api/v1/me/mfa/recovery-codes', { code: await codeAt(secret, 1) });
    expect(fresh.status, JSON.stringify(fresh.data)).toBe(200);
    expect(fresh.data.recoveryCodes).toHaveLength(10);
    expect(fresh.data.recoveryCodes).not.toContain(recoveryCodes[0]);
    expectError(
      await secondStep(api, { mfaToken: await challenge(api, ada), recoveryCode: recoveryCodes[0] }),
      401,
      'invalid_mfa_code',
    );
    const signedIn = await secondStep(api, {
      mfaToken: await challenge(api, ada),
      recoveryCode: fresh.data.recoveryCodes[0],
    });
    expect(signedIn.status).toBe(200);
    const actions = (await auditRows(stack, ada)).map((row) => row.action);
    expect(actions).toContain('auth.mfa_recovery_codes_regenerated');
  });

  it('turns off with the password and a code (or a recovery code), and not without both', async () => {
    const ada = await api.signup('disable');
    const { secret, recoveryCodes } = await enrol(api, ada);
    const disable = (body: unknown) => post(ada.token, '/api/v1/me/mfa/disable', body);
    const wrongPassword = await disable({ password: 'not-the-password', code: await codeAt(secret, 1) });
    expectError(wrongPassword, 400, 'invalid_password');
    expect(wrongPassword.data.error.details[0].path).toBe('password');
    expectError(await disable({ password: ada.password, code: '000000' }), 400, 'invalid_mfa_code');
    expectError(await disable({ password: ada.password }), 400, 'validation_failed');
    const off = await disable({ password: ada.password, recoveryCode: recoveryCodes[3] });
    expect(off.status, JSON.stringify(off.data)).toBe(200);
    expect(await mfaRow(stack, ada)).toBeNull();
    expectError(await disable({ password: ada.password, code: await codeAt(secret, 1) }), 409, 'mfa_not_enabled');
    const disabled = (await auditRows(stack, ada)).find((row) => row.action === 'auth.mfa_disabled');
    expect(disabled).toMatchObject({
      ip: '127.0.0.1',
      userAgent: USER_AGENT,
      changes: { by: 'self', with: 'recovery_code' },
    });
    const failures = (await auditRows(stack, ada)).filter((row) => row.action === 'auth.mfa_failed');
    expect(failures.map((row) => (row.changes as { reason: string }).reason)).toEqual(['wrong_password', 'wrong']);
  });

  it('is a person’s: an API key has none', async () => {
    const ada = await api.signup('api-key-mfa');
    const key = await api.call('POST', '/api/v1/api-keys', {
      token: ada.token,
      body: { name: 'sync', scopes: ['leads:read'] },
    });
    expect(key.status).toBe(201);
    expectError(await api.call('GET', '/api/v1/me/mfa', { token: key.data.key }), 403, 'forbidden');
    expect((await me(key.data.key)).data).toMatchObject({ mfa: null, mfaEnrolmentRequired: false });
  });
});

describe('MFA in an organization', () => {
  it('admins require it: members without it are told to enrol, and cannot turn theirs off', async () => {
    const admin = await api.signup('require');
    const rep = await api.member(admin.token, 'sales_rep');
    expectError(
      await api.call('PATCH', '/api/v1/organization/security', { token: rep.token, body: { mfaRequired: true } }),
      403,
      'forbidden',
    );
    const patched = await api.call('PATCH', '/api/v1/organization/security', {
      token: admin.token,
      headers,
      body: { mfaRequired: true },
    });
    expect(patched.status, JSON.stringify(patched.data)).toBe(200);
    expect(patched.data).toEqual({ mfaRequired: true, activeMembers: 2, membersWithMfa: 0 });
    expectError(
      await api.call('PATCH', '/api/v1/organization/security', { token: admin.token, body: { mfaRequired: 'yes' } }),
      400,
      'validation_failed',
    );
    const changed = (await auditRows(stack, admin, admin.organization.id)).find(
      (row) => row.action === 'organization.mfa_required_changed',
    );
    expect(changed).toMatchObject({
      actorId: admin.user.id,
      userAgent: USER_AGENT,
      changes: { mfaRequired: [false, true] },
    });

    // The rep still signs in, and both the answer and /me say to enrol first.
    const signedIn = await login(api, rep.email, rep.password);
    expect(signedIn.status).toBe(200);
    expect(signedIn.data).toMatchObject({ mfaEnrolmentRequired: true });
    expect((await me(signedIn.data.accessToken)).data).toMatchObject({
      mfaEnrolmentRequired: true,
      mfa: { enabled: false, organizationRequiresMfa: true, enrolmentRequired: true },
    });
    const { secret } = await enrol(api, { token: signedIn.data.accessToken });
    expect((await me(signedIn.data.accessToken)).data.mfaEnrolmentRequired).toBe(false);
    expectError(
      await post(signedIn.data.accessToken, '/api/v1/me/mfa/disable', {
        password: rep.password,
        code: await codeAt(secret, 1),
      }),
      409,
      'mfa_required_by_organization',
    );
    const security = await api.call('GET', '/api/v1/organization/security', { token: admin.token });
    expect(security.data).toEqual({ mfaRequired: true, activeMembers: 2, membersWithMfa: 1 });
  });

  it('admins reset a member’s MFA (not their own); other organizations cannot touch it', async () => {
    const admin = await api.signup('reset');
    const rep = await api.member(admin.token, 'sales_rep');
    const repSession = (await login(api, rep.email, rep.password)).data.accessToken as string;
    await enrol(api, { token: repSession });
    const outsider = await api.signup('reset-outsider');
    const reset = (token: string, userId: string) =>
      api.call('DELETE', `/api/v1/users/${userId}/mfa`, { token, headers });

    expectError(await reset(outsider.token, rep.user.id), 404, 'not_found');
    expectError(await reset(rep.token, admin.user.id), 403, 'forbidden');
    await enrol(api, admin);
    expectError(await reset(admin.token, admin.user.id), 409, 'own_mfa');
    expect(await mfaRow(stack, admin, rep.user.id)).not.toBeNull();

    expect((await reset(admin.token, rep.user.id)).status).toBe(204);
    expect(await mfaRow(stack, admin, rep.user.id)).toBeNull();
    expectError(await reset(admin.token, rep.user.id), 409, 'mfa_not_enabled');
    const plain = await login(api, rep.email, rep.password);
    expect(plain.data.accessToken).toEqual(expect.any(String));
    const audit = (await auditRows(stack, admin, rep.user.id)).find((row) => row.action === 'auth.mfa_disabled');
    expect(audit).toMatchObject({ actorId: admin.user.id, changes: { by: 'admin', wasEnabled: true } });
    // The outsider's attempt left no trace in the victim's organization, and the admin's own MFA still stands.
    expect((await me(admin.token)).data.mfa.enabled).toBe(true);
  });
});
