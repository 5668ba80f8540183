import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailMessages, passwordResets } from '../../db/schema/index.ts';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { RESET_ANSWER_FLOOR_MS, RESET_REQUESTS_PER_HOUR } from './password-reset.ts';

type Account = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;

let stack: TestStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack({ regions: ['us', 'eu'] });
  api = apiClient(stack.edgeUrl);
  // Two regions' migrations on PGlite take minutes on a loaded machine.
}, 600_000);
afterAll(() => stack?.stop());

const regionOf = (account: Account) => stack.regions[account.organization.homeRegion]!;

/** The tokens of the reset emails queued for an account, newest last (what the user finds in their mailbox). */
async function mailedTokens(account: Account): Promise<string[]> {
  const rows = await regionOf(account).ctx.shards.withTenant(account.organization.id, (tx) =>
    tx
      .select()
      .from(emailMessages)
      .where(and(eq(emailMessages.organizationId, account.organization.id), eq(emailMessages.userId, account.user.id)))
      .orderBy(emailMessages.createdAt),
  );
  return rows.filter((row) => row.template === 'password_reset').map((row) => (row.data as { token: string }).token);
}

const ask = (email: string) => api.call('POST', '/api/v1/auth/password-reset', { body: { email } });
const confirm = (token: string, password: string) =>
  api.call('POST', '/api/v1/auth/password-reset/confirm', { body: { token, password } });
const login = (email: string, password: string) =>
  api.call('POST', '/api/v1/auth/login', { body: { email, password } });

describe('password reset', () => {
  it('answers the same for registered and unknown emails, and mails a link only to the account', async () => {
    const ada = await api.signup('reset-ada', { region: 'eu' });
    const started = Date.now();
    const known = await ask(ada.user.email);
    const unknown = await ask(`${api.unique('nobody')}@example.com`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * RESET_ANSWER_FLOOR_MS - 50);
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.data).toEqual(known.data);
    expect(await mailedTokens(ada)).toHaveLength(1);
    const [token] = await mailedTokens(ada);
    // The token routes itself to the account's region and organization, and is stored only as a hash.
    expect(token).toMatch(/^prt_eu_/);
    const stored = await regionOf(ada).ctx.shards.withTenant(ada.organization.id, (tx) =>
      tx.select().from(passwordResets).where(eq(passwordResets.organizationId, ada.organization.id)),
    );
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(token!.slice(-48));
  });

  it('sets the new password once, ends every session, and refuses the old password and the used link', async () => {
    const ada = await api.signup('reset-once');
    expect((await ask(ada.user.email)).status).toBe(202);
    const [token] = await mailedTokens(ada);
    const tooShort = await confirm(token!, 'short');
    expectError(tooShort, 400, 'validation_failed');
    const newPassword = 'A-brand-new-Passphrase-42';
    expect((await confirm(token!, newPassword)).status).toBe(204);
    expectError(await confirm(token!, 'Yet-another-Passphrase-1'), 400, 'invalid_reset_token');
    expectError(await login(ada.user.email, ada.password), 401, 'invalid_credentials');
    expect((await login(ada.user.email, newPassword)).status).toBe(200);
    // The session from before the reset is over: its refresh token and its access token no longer work.
    expectError(
      await api.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: ada.refreshToken } }),
      401,
      'invalid_refresh_token',
    );
    expect((await api.call('GET', '/api/v1/me', { token: ada.token })).status).toBe(401);
  });

  it('keeps only the newest link, refuses expired links and tokens of other kinds, and caps links per hour', async () => {
    const ada = await api.signup('reset-newest');
    await ask(ada.user.email);
    await ask(ada.user.email);
    const [older, newer] = await mailedTokens(ada);
    expectError(await confirm(older!, 'A-brand-new-Passphrase-42'), 400, 'invalid_reset_token');
    await regionOf(ada).ctx.shards.withTenant(ada.organization.id, (tx) =>
      tx
        .update(passwordResets)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(passwordResets.organizationId, ada.organization.id)),
    );
    expectError(await confirm(newer!, 'A-brand-new-Passphrase-42'), 400, 'invalid_reset_token');
    // A refresh token is a routable token too, but not a reset link.
    expectError(await confirm(ada.refreshToken, 'A-brand-new-Passphrase-42'), 400, 'invalid_reset_token');
    for (let n = 2; n < RESET_REQUESTS_PER_HOUR + 2; n++) expect((await ask(ada.user.email)).status).toBe(202);
    expect(await mailedTokens(ada)).toHaveLength(RESET_REQUESTS_PER_HOUR);
    expect((await login(ada.user.email, ada.password)).status).toBe(200);
  });

  it('cannot reach another organization: a token names its own organization and is looked up only there', async () => {
    const [ada, eve] = await Promise.all([api.signup('reset-victim'), api.signup('reset-attacker')]);
    await ask(eve.user.email);
    const [evesToken] = await mailedTokens(eve);
    // Eve's token rewritten to name Ada's organization: its hash is not in Ada's table.
    const forged = evesToken!.replace(eve.organization.id.replace(/-/g, ''), ada.organization.id.replace(/-/g, ''));
    expectError(await confirm(forged, 'Taken-over-Passphrase-1'), 400, 'invalid_reset_token');
    expect((await login(ada.user.email, ada.password)).status).toBe(200);
  });
});
