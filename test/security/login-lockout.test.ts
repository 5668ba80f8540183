import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LOCKOUT_POLICY } from '../../regions/auth/lockout.ts';
import { LOGIN_REFUSAL_FLOOR_MS } from '../../regions/auth/login-refusal.ts';
import { apiClient, type Reply } from '../support/api.ts';
import { expectError } from '../support/envelope.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * Growing delays after failed sign-ins (regions/auth/lockout.ts), through the edge: per email, registered or not,
 * with one answer for both; per client network; Retry-After; a success forgets; audited. Two regions, so the
 * second keeps its counts in the first's directory over the signed internal API (on PGlite).
 */
const NETWORK_THRESHOLD = 8;
let stack: TestStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack({
    regions: ['us', 'eu'],
    // The client's address as a proxy would pass it, so each test speaks from a network of its own.
    edge: { clientIp: (c) => c.req.header('cf-connecting-ip') },
    loginLockout: { ...DEFAULT_LOCKOUT_POLICY, ip: { ...DEFAULT_LOCKOUT_POLICY.ip, threshold: NETWORK_THRESHOLD } },
  });
  api = apiClient(stack.edgeUrl);
}, 600_000);
afterAll(() => stack?.stop());

/** A random address in 198.18.0.0/15 (benchmarking), fresh each run: the real directory outlives runs. */
const freshIp = () =>
  `198.${18 + Math.floor(Math.random() * 2)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;

const login = (email: string, password: string, ip: string) =>
  api.call('POST', '/api/v1/auth/login', {
    body: { email, password },
    headers: { 'cf-connecting-ip': ip, 'user-agent': 'lockout-suite/1.0' },
  });

/** What a refusal says, without what differs on every request. */
const shape = (reply: Reply) => ({
  status: reply.status,
  code: reply.data?.error?.code,
  message: reply.data?.error?.message,
  retryAfter: reply.headers.get('retry-after'),
});

async function timed(attempt: () => Promise<Reply>) {
  const started = performance.now();
  const reply = await attempt();
  return { reply, ms: performance.now() - started };
}

describe('sign-in lockout', { timeout: 180_000 }, () => {
  it('locks a registered and an unknown email alike after five failures, with Retry-After', async () => {
    const ada = await api.signup('lockout-known', { region: 'eu' });
    const unknown = `${api.unique('lockout-nobody')}@example.com`;
    // Each from a network of its own, which stays under the network's threshold.
    const ip = freshIp();
    const otherIp = freshIp();
    const known: Reply[] = [];
    const stranger: Reply[] = [];
    for (let i = 0; i < 5; i++) {
      known.push(await login(ada.user.email, 'Not-the-Password-1', ip));
      stranger.push(await login(unknown, 'Not-the-Password-1', otherIp));
    }
    for (const reply of [...known, ...stranger]) expectError(reply, 401, 'invalid_credentials');
    expect(known.map(shape)).toEqual(stranger.map(shape));

    // Locked now, even with the right password, and the same for the address no one registered.
    const lockedKnown = await timed(() => login(ada.user.email, ada.password, ip));
    const lockedUnknown = await timed(() => login(unknown, 'Not-the-Password-1', otherIp));
    for (const { reply } of [lockedKnown, lockedUnknown]) {
      expectError(reply, 429, 'too_many_attempts');
      expect(reply.data.error.message).toMatch(/^Too many failed sign-ins\. Try again in (1 minute|\d\d seconds)\.$/);
      const retryAfter = Number(reply.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(55);
      expect(retryAfter).toBeLessThanOrEqual(60);
    }
    // The same answer but for the seconds that passed between the two.
    const retryAfter = (reply: Reply) => Number(reply.headers.get('retry-after'));
    expect(Math.abs(retryAfter(lockedKnown.reply) - retryAfter(lockedUnknown.reply))).toBeLessThanOrEqual(2);
    // Both answered at the floor, not sooner: the locked answer does no work that tells them apart.
    expect(lockedKnown.ms).toBeGreaterThanOrEqual(LOGIN_REFUSAL_FLOOR_MS - 5);
    expect(lockedUnknown.ms).toBeGreaterThanOrEqual(LOGIN_REFUSAL_FLOOR_MS - 5);

    // A locked account stays reachable from its other sessions; the audit log tells the admin what happened.
    const audit = await api.call('GET', '/api/v1/audit-log?limit=50', { token: ada.token });
    expect(audit.status).toBe(200);
    const entries = audit.data.data as { action: string; ip: string | null; userAgent: string | null; changes: any }[];
    const failed = entries.filter((e) => e.action === 'auth.login_failed');
    expect(failed).toHaveLength(5);
    for (const entry of failed) expect(entry).toMatchObject({ ip, userAgent: 'lockout-suite/1.0' });
    const lockedOut = entries.filter((e) => e.action === 'auth.locked_out');
    expect(lockedOut).toHaveLength(1);
    expect(lockedOut[0]).toMatchObject({ ip, userAgent: 'lockout-suite/1.0' });
    expect(lockedOut[0]!.changes).toMatchObject({ scope: 'account', failures: 5 });
    // The refused attempt was not counted as a failure, nor the right password as a sign-in.
    expect(entries.filter((e) => e.action === 'auth.login')).toHaveLength(0);
  });

  it('answers a refusal for a registered and an unknown email in the same time', async () => {
    const grace = await api.signup('lockout-timing', { region: 'us' });
    const unknown = `${api.unique('lockout-timing-nobody')}@example.com`;
    const ip = freshIp();
    const known: number[] = [];
    const stranger: number[] = [];
    for (let i = 0; i < 3; i++) {
      known.push((await timed(() => login(grace.user.email, 'Wrong-Password-Here-1', ip))).ms);
      stranger.push((await timed(() => login(unknown, 'Wrong-Password-Here-1', ip))).ms);
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[1]!;
    for (const ms of [...known, ...stranger]) expect(ms).toBeGreaterThanOrEqual(LOGIN_REFUSAL_FLOOR_MS - 5);
    // The floor covers the extra work a registered email costs; a loaded machine adds noise to both.
    expect(Math.abs(median(known) - median(stranger))).toBeLessThan(150);
  });

  it('forgets an account’s failures when it signs in', async () => {
    const rita = await api.signup('lockout-reset', { region: 'us' });
    // Two networks, each under its threshold: only the account's count is at stake.
    const [first, second] = [freshIp(), freshIp()];
    for (let i = 0; i < 4; i++) expectError(await login(rita.user.email, 'Wrong-Password-Here-1', first), 401);
    expect((await login(rita.user.email, rita.password, first)).status).toBe(200);
    for (let i = 0; i < 4; i++) expectError(await login(rita.user.email, 'Wrong-Password-Here-1', second), 401);
    // Four since the success: not locked, the right password still works.
    expect((await login(rita.user.email, rita.password, second)).status).toBe(200);
  });

  it('locks a network trying many emails, for every email it tries, and no other network', async () => {
    const ip = freshIp();
    const victim = await api.signup('lockout-network', { region: 'eu' });
    for (let i = 0; i < NETWORK_THRESHOLD; i++) {
      expectError(await login(`${api.unique('spray')}@example.com`, 'Summer-2024-Password', ip), 401);
    }
    const refused = await login(victim.user.email, victim.password, ip);
    expectError(refused, 429, 'too_many_attempts');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const elsewhere = await login(victim.user.email, victim.password, freshIp());
    expect(elsewhere.status).toBe(200);
  });

  it('shows the refusal on the sign-in page', async () => {
    const email = `${api.unique('lockout-page')}@example.com`;
    const ip = freshIp();
    for (let i = 0; i < 5; i++) expectError(await login(email, 'Wrong-Password-Here-1', ip), 401);
    const jar = new Map<string, string>();
    const page = await fetch(`${stack.edgeUrl}/login`, { headers: { 'cf-connecting-ip': ip } });
    for (const line of page.headers.getSetCookie()) {
      const [name, value] = line.split(';')[0]!.split('=');
      jar.set(name!, value!);
    }
    const answer = await fetch(`${stack.edgeUrl}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'cf-connecting-ip': ip,
        'content-type': 'application/x-www-form-urlencoded',
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
      },
      body: new URLSearchParams({ email, password: 'Wrong-Password-Here-1', next: '/', _csrf: jar.get('crm_csrf')! }),
    });
    expect(answer.status).toBe(429);
    expect(await answer.text()).toMatch(/Too many failed sign-ins\. Try again in (1 minute|\d\d seconds)\./);
  });
});
