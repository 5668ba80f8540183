import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailMessages } from '../../db/schema/index.ts';
import { apiClient, type Reply } from '../support/api.ts';
import { expectError } from '../support/envelope.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * Every place a password is set (sign-up, accepting an invitation, a reset link) refuses one zxcvbn scores below 3,
 * with the user's own email, name and organization counted against it, as 400 `weak_password` with the feedback on
 * the `password` field; the web forms show it beside the field. A refusal spends nothing: the invitation and the
 * link still work.
 */
let stack: TestStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
}, 300_000);
afterAll(() => stack?.stop());

function expectWeak(reply: Reply) {
  expectError(reply, 400, 'weak_password');
  expect(reply.data.error.details).toEqual([{ path: 'password', message: expect.stringMatching(/\w{4}/) }]);
}

describe('password strength', { timeout: 180_000 }, () => {
  it('refuses a weak password at sign-up, and one made of the organization’s own name', async () => {
    const id = api.unique('weak');
    const signup = (password: string, organization = `Org ${id}`) =>
      api.call('POST', '/api/v1/auth/signup', {
        body: { organization, email: `${id}@example.com`, password, region: 'us' },
      });
    const common = await signup('password1234');
    expectWeak(common);
    expect(common.data.error.details[0].message).toMatch(/common/i);
    expectWeak(await signup('Zephyrquartz2024', `Zephyrquartz Holdings ${id}`));
    // Nothing was reserved by the refusals: the same email and organization sign up with a strong password.
    expect((await signup('Tangerine-Orbit-Vellum-42', `Zephyrquartz Holdings ${id}`)).status).toBe(201);
  });

  it('refuses a weak password when an invitation is accepted, and the invitation still works', async () => {
    const admin = await api.signup('weak-invite');
    const email = `${api.unique('invitee')}@example.com`;
    const invited = await api.call('POST', '/api/v1/users', { token: admin.token, body: { email, role: 'sales_rep' } });
    expect(invited.status).toBe(201);
    const accept = (password: string) =>
      api.call('POST', '/api/v1/auth/accept-invite', { body: { token: invited.data.inviteToken, password } });
    expectWeak(await accept('qwertyuiop123'));
    // Their own email's local part is no help either.
    expectWeak(await accept(`${email.split('@')[0]}!!`));
    expect((await accept('Lantern-Meadow-Copper-77')).status).toBe(200);
  });

  it('refuses a weak password on a reset link, and the link still works', async () => {
    const ada = await api.signup('weak-reset');
    expect((await api.call('POST', '/api/v1/auth/password-reset', { body: { email: ada.user.email } })).status).toBe(
      202,
    );
    const rows = await stack.regions.us!.ctx.shards.withTenant(ada.organization.id, (tx) =>
      tx
        .select()
        .from(emailMessages)
        .where(and(eq(emailMessages.organizationId, ada.organization.id), eq(emailMessages.userId, ada.user.id))),
    );
    const token = rows.map((row) => (row.data as { token?: string }).token).find(Boolean)!;
    const confirm = (password: string) =>
      api.call('POST', '/api/v1/auth/password-reset/confirm', { body: { token, password } });
    expectWeak(await confirm('letmein12345'));
    expect((await confirm('Harbour-Tulip-Granite-19')).status).toBe(204);
  });

  it('shows the feedback beside the password field of the sign-up form', async () => {
    const jar = new Map<string, string>();
    const page = await fetch(`${stack.edgeUrl}/signup`);
    for (const line of page.headers.getSetCookie()) {
      const [name, value] = line.split(';')[0]!.split('=');
      jar.set(name!, value!);
    }
    const id = api.unique('weak-page');
    const answer = await fetch(`${stack.edgeUrl}/signup`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
      },
      body: new URLSearchParams({
        organization: `Org ${id}`,
        email: `${id}@example.com`,
        password: 'password1234',
        region: 'us',
        _csrf: jar.get('crm_csrf')!,
      }),
    });
    expect(answer.status).toBe(400);
    const html = await answer.text();
    // The field is marked invalid and its error follows it.
    expect(html).toMatch(/id="f-password"[^>]*aria-invalid="true"/);
    expect(html).toMatch(/common/i);
  });
});
