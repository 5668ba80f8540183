import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { CHALLENGE_ATTEMPTS } from './challenge.ts';
import { MAX_FAILURES_IN_A_ROW } from './factors.ts';
import {
  auditRows,
  awayFromStepEdge,
  challenge,
  codeAt,
  enrol,
  expireChallenges,
  forgetLastStep,
  login,
  secondStep,
  USER_AGENT,
} from './test-helpers.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  // Two regions: the challenge token must find its way to the account's region through the edge by itself.
  stack = await startTestStack({ regions: ['us', 'eu'] });
  api = apiClient(stack.edgeUrl);
}, 600_000);
afterAll(() => stack?.stop());

/** A code no authenticator would show now: the real one, each digit moved on by one. */
const wrongCode = (code: string) => code.replace(/\d/g, (d) => String((Number(d) + 1) % 10));

describe('signing in with MFA', () => {
  it('asks for a code after the password, then gives the session for the right one, audited', async () => {
    const ada = await api.signup('mfa-login', { region: 'eu' });
    const { secret } = await enrol(api, ada);
    const mfaToken = await challenge(api, ada);
    expect(mfaToken).toMatch(/^mfa_eu_/);
    // The enrolment spent the current step's code: the next step's (within the window) is the next good one.
    const signedIn = await secondStep(api, { mfaToken, code: await codeAt(secret, 1) });
    expect(signedIn.status, JSON.stringify(signedIn.data)).toBe(200);
    expect(signedIn.data).toMatchObject({ tokenType: 'Bearer', mfaEnrolmentRequired: false });
    expect(signedIn.data.refreshToken).toMatch(/^rt_eu_/);
    const me = await api.call('GET', '/api/v1/me', { token: signedIn.data.accessToken });
    expect(me.data.mfa).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
    // The challenge worked once.
    expectError(await secondStep(api, { mfaToken, code: await codeAt(secret, 1) }), 401, 'mfa_challenge_expired');
    const actions = (await auditRows(stack, ada)).map((row) => row.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.mfa_enabled', 'auth.mfa_challenged', 'auth.login']));
    const success = (await auditRows(stack, ada)).find((row) => row.action === 'auth.login');
    expect(success).toMatchObject({ ip: '127.0.0.1', userAgent: USER_AGENT, changes: { mfa: 'totp' } });
  });

  it('refuses a wrong code with 401 on the code field, audited as auth.mfa_failed', async () => {
    const ada = await api.signup('mfa-wrong');
    const { secret } = await enrol(api, ada);
    const mfaToken = await challenge(api, ada);
    const refused = await secondStep(api, { mfaToken, code: wrongCode(await codeAt(secret, 1)) });
    expectError(refused, 401, 'invalid_mfa_code');
    expect(refused.data.error.details).toEqual([{ path: 'code', message: expect.stringContaining('4 tries left') }]);
    expect(refused.data.accessToken).toBeUndefined();
    const failed = (await auditRows(stack, ada)).filter((row) => row.action === 'auth.mfa_failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ ip: '127.0.0.1', userAgent: USER_AGENT, actorType: 'system' });
    expect(failed[0]!.changes).toMatchObject({ during: 'sign_in', reason: 'wrong', attemptsLeft: 4 });
    // Malformed codes are the schema's 400, before any attempt is counted.
    expectError(await secondStep(api, { mfaToken, code: '12ab' }), 400, 'validation_failed');
    expectError(await secondStep(api, { mfaToken }), 400, 'validation_failed');
    expect((await secondStep(api, { mfaToken, code: await codeAt(secret, 1) })).status).toBe(200);
  });

  it('never takes the same code twice, nor an older one, across sign-ins', async () => {
    const ada = await api.signup('mfa-replay');
    const { secret } = await enrol(api, ada);
    const code = await codeAt(secret, 1);
    expect((await secondStep(api, { mfaToken: await challenge(api, ada), code })).status).toBe(200);
    expectError(await secondStep(api, { mfaToken: await challenge(api, ada), code }), 401, 'invalid_mfa_code');
    expectError(
      await secondStep(api, { mfaToken: await challenge(api, ada), code: await codeAt(secret) }),
      401,
      'invalid_mfa_code',
    );
  });

  it('accepts codes one step either side of now, and none further', async () => {
    const ada = await api.signup('mfa-window');
    const { secret } = await enrol(api, ada);
    await forgetLastStep(stack, ada);
    // Room for four round trips before the step changes (a code of the step before would then be two away).
    await awayFromStepEdge(15);
    const mfaToken = await challenge(api, ada);
    expectError(await secondStep(api, { mfaToken, code: await codeAt(secret, -2) }), 401, 'invalid_mfa_code');
    expectError(await secondStep(api, { mfaToken, code: await codeAt(secret, 2) }), 401, 'invalid_mfa_code');
    expect((await secondStep(api, { mfaToken, code: await codeAt(secret, -1) })).status).toBe(200);
  });

  it('signs in once with each recovery code, however it is typed, and counts what is left', async () => {
    const ada = await api.signup('mfa-recovery');
    const { recoveryCodes } = await enrol(api, ada);
    const [first, second] = recoveryCodes;
    const signedIn = await secondStep(api, { mfaToken: await challenge(api, ada), recoveryCode: first });
    expect(signedIn.status, JSON.stringify(signedIn.data)).toBe(200);
    expectError(
      await secondStep(api, { mfaToken: await challenge(api, ada), recoveryCode: first }),
      401,
      'invalid_mfa_code',
    );
    const typed = second!.toUpperCase().replace(/-/g, ' ');
    expect((await secondStep(api, { mfaToken: await challenge(api, ada), recoveryCode: typed })).status).toBe(200);
    const me = await api.call('GET', '/api/v1/me', { token: signedIn.data.accessToken });
    expect(me.data.mfa.recoveryCodesLeft).toBe(8);
    const used = (await auditRows(stack, ada)).filter((row) => row.action === 'auth.mfa_recovery_code_used');
    expect(used.map((row) => row.changes)).toEqual([{ recoveryCodesLeft: 9 }, { recoveryCodesLeft: 8 }]);
    expect(used[0]).toMatchObject({ ip: '127.0.0.1', userAgent: USER_AGENT });
  });

  it(`ends a challenge after ${CHALLENGE_ATTEMPTS} wrong codes, and after five minutes`, async () => {
    const ada = await api.signup('mfa-attempts');
    const { secret } = await enrol(api, ada);
    const right = await codeAt(secret, 1);
    const mfaToken = await challenge(api, ada);
    for (let attempt = 1; attempt <= CHALLENGE_ATTEMPTS; attempt++) {
      const refused = await secondStep(api, { mfaToken, code: wrongCode(right) });
      expectError(refused, 401, 'invalid_mfa_code');
      if (attempt === CHALLENGE_ATTEMPTS) expect(refused.data.error.message).toContain('last try');
    }
    expectError(await secondStep(api, { mfaToken, code: right }), 401, 'mfa_challenge_expired');

    const later = await challenge(api, ada);
    await expireChallenges(stack, ada);
    expectError(await secondStep(api, { mfaToken: later, code: right }), 401, 'mfa_challenge_expired');
    // A fresh challenge takes the code that the dead ones never accepted.
    expect((await secondStep(api, { mfaToken: await challenge(api, ada), code: right })).status).toBe(200);
  });

  it(`locks codes after ${MAX_FAILURES_IN_A_ROW} wrong ones in a row, whatever the challenge`, async () => {
    const ada = await api.signup('mfa-lock');
    const { secret } = await enrol(api, ada);
    const right = await codeAt(secret, 1);
    for (let failures = 0; failures < MAX_FAILURES_IN_A_ROW; ) {
      const mfaToken = await challenge(api, ada);
      for (let i = 0; i < CHALLENGE_ATTEMPTS && failures < MAX_FAILURES_IN_A_ROW; i++, failures++) {
        expectError(await secondStep(api, { mfaToken, code: wrongCode(right) }), 401, 'invalid_mfa_code');
      }
    }
    expectError(await secondStep(api, { mfaToken: await challenge(api, ada), code: right }), 429, 'mfa_locked');
  });

  it('keeps challenges to their organization and refuses tokens of another kind', async () => {
    const [ada, eve] = await Promise.all([api.signup('mfa-victim'), api.signup('mfa-attacker')]);
    const { secret } = await enrol(api, ada);
    await enrol(api, eve);
    const evesToken = await challenge(api, eve);
    // Eve's challenge rewritten to name Ada's organization: its hash is not in Ada's table.
    const forged = evesToken.replace(eve.organization.id.replace(/-/g, ''), ada.organization.id.replace(/-/g, ''));
    expectError(
      await secondStep(api, { mfaToken: forged, code: await codeAt(secret, 1) }),
      401,
      'mfa_challenge_expired',
    );
    expectError(
      await secondStep(api, { mfaToken: ada.refreshToken, code: await codeAt(secret, 1) }),
      401,
      'mfa_challenge_expired',
    );
    expectError(await secondStep(api, { mfaToken: 'mfa_nowhere', code: '123456' }), 401, 'mfa_challenge_expired');
  });

  it('signs in with the password alone once MFA is off, and without it tells nothing about MFA', async () => {
    const ada = await api.signup('mfa-none');
    const plain = await login(api, ada.user.email, ada.password);
    expect(plain.status).toBe(200);
    expect(plain.data).toMatchObject({ tokenType: 'Bearer', mfaEnrolmentRequired: false });
    expect(plain.data.mfaRequired).toBeUndefined();
    const { secret } = await enrol(api, ada);
    const disabled = await api.call('POST', '/api/v1/me/mfa/disable', {
      token: ada.token,
      body: { password: ada.password, code: await codeAt(secret, 1) },
    });
    expect(disabled.status, JSON.stringify(disabled.data)).toBe(200);
    expect(disabled.data).toMatchObject({ enabled: false, recoveryCodesLeft: 0 });
    const again = await login(api, ada.user.email, ada.password);
    expect(again.status).toBe(200);
    expect(again.data.accessToken).toEqual(expect.any(String));
  });
});
