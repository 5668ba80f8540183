import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api.ts';
import { expectError } from '../support/envelope.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * Session attacks token-attacks.test.ts, regions/sessions and regions/auth/roles.test.ts leave out: racing one
 * refresh token, every credential presented where another kind is expected, and a disabled member's refresh token.
 */
let stack: TestStack;
let api: ReturnType<typeof apiClient>;
type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
let admin: Session;

const refresh = (refreshToken: string) => api.call('POST', '/api/v1/auth/refresh', { body: { refreshToken } });

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.edgeUrl);
  admin = await api.signup('session-attacks');
});
afterAll(() => stack?.stop());

describe('one refresh token presented many times at once', () => {
  it('rotates at most once; every other attempt is refused and the family ends', async () => {
    const session = await api.signup('race');
    const replies = await Promise.all(Array.from({ length: 8 }, () => refresh(session.refreshToken)));
    const won = replies.filter((r) => r.status === 200);
    expect(won.length, JSON.stringify(replies.map((r) => r.status))).toBeLessThanOrEqual(1);
    for (const lost of replies.filter((r) => r.status !== 200)) {
      expectError(lost, 401, ['refresh_token_reused', 'invalid_refresh_token']);
    }
    // A reuse was seen, so no token of the family works any more, the winner's included.
    for (const w of won) {
      expectError(await refresh(w.data.refreshToken), 401, ['refresh_token_reused', 'invalid_refresh_token']);
    }
    expectError(await refresh(session.refreshToken), 401, ['refresh_token_reused', 'invalid_refresh_token']);
  });
});

describe('credentials where another kind is expected', () => {
  let credentials: Record<string, string>;

  beforeAll(async () => {
    const key = await api.call('POST', '/api/v1/api-keys', {
      token: admin.token,
      body: { name: 'confusion', scopes: ['leads:read'] },
    });
    const invite = await api.call('POST', '/api/v1/users', {
      token: admin.token,
      body: { email: `${api.unique('confused')}@example.com`, role: 'viewer' },
    });
    const inbound = await api.call('POST', '/api/v1/inbound-endpoints', {
      token: admin.token,
      body: { name: 'confusion', mapping: { email: 'email' } },
    });
    expect([key.status, invite.status, inbound.status]).toEqual([201, 201, 201]);
    const session = await api.signup('confusion');
    credentials = {
      'access token': session.token,
      'refresh token': session.refreshToken,
      'API key': key.data.key,
      invitation: invite.data.inviteToken,
      'inbound endpoint token': inbound.data.token,
    };
  });

  it('refuses a refresh token, invitation or inbound token as a Bearer credential', async () => {
    for (const name of ['refresh token', 'invitation', 'inbound endpoint token']) {
      const token = credentials[name]!;
      for (const [method, path] of [
        ['GET', '/api/v1/me'],
        ['GET', '/api/v1/leads'],
        ['POST', '/api/v1/auth/logout'],
      ] as const) {
        const reply = await api.call(method, path, { token });
        expect(reply.status, `${name} on ${method} ${path}: ${JSON.stringify(reply.data)}`).toBe(401);
      }
    }
  });

  it('refuses an access token, API key, invitation or inbound token as a refresh token', async () => {
    for (const name of ['access token', 'API key', 'invitation', 'inbound endpoint token']) {
      const reply = await refresh(credentials[name]!);
      expect([400, 401], `${name}: ${JSON.stringify(reply.data)}`).toContain(reply.status);
      expect(reply.data.accessToken, name).toBeUndefined();
    }
  });

  it('refuses a refresh token or API key as an invitation, and a refresh token as an MFA challenge', async () => {
    for (const name of ['refresh token', 'API key', 'access token']) {
      const reply = await api.call('POST', '/api/v1/auth/accept-invite', {
        body: { token: credentials[name], password: 'Corr3ct-Horse-Battery-Staple!' },
      });
      expect([400, 401, 404, 410], `${name}: ${JSON.stringify(reply.data)}`).toContain(reply.status);
      expect(reply.data.accessToken, name).toBeUndefined();
    }
    const mfa = await api.call('POST', '/api/v1/auth/login/mfa', {
      body: { mfaToken: credentials['refresh token'], code: '123456' },
    });
    expect([400, 401], JSON.stringify(mfa.data)).toContain(mfa.status);
    // The session whose refresh token was tried in all those places is still good: none of it was a reuse.
    expect((await refresh(credentials['refresh token']!)).status).toBe(200);
  });
});

describe("a disabled member's session", () => {
  it('cannot be refreshed once the account is disabled', async () => {
    const member = await api.member(admin.token, 'sales_rep', 'disabled-refresh');
    const login = await api.call('POST', '/api/v1/auth/login', {
      body: { email: member.email, password: member.password },
    });
    expect(login.status).toBe(200);
    const disabled = await api.call('PATCH', `/api/v1/users/${member.user.id}`, {
      token: admin.token,
      body: { status: 'disabled' },
    });
    expect(disabled.status).toBe(200);
    const reply = await refresh(login.data.refreshToken);
    expect([401, 403], JSON.stringify(reply.data)).toContain(reply.status);
    expect(reply.data.accessToken).toBeUndefined();
  });
});
