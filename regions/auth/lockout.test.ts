import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../db/database.ts';
import { lockSeconds, SqlLoginThrottle } from '../../db/directory/login-throttle.ts';
import { loginThrottles } from '../../db/directory/schema.ts';
import { directoryMigrations } from '../../db/directory/store.ts';
import { openConnection } from '../../db/drivers/open.ts';
import { directoryUrl } from '../../test/support/databases.ts';
import {
  clientNetwork,
  createLoginLockout,
  DEFAULT_LOCKOUT_POLICY,
  LoginLockedError,
  lockoutPolicyFromEnv,
  waitInWords,
} from './lockout.ts';

describe('lockout rules', () => {
  it('locks from the threshold on, doubling up to the maximum', () => {
    const rule = DEFAULT_LOCKOUT_POLICY.account;
    expect([1, 4, 5, 6, 7, 10, 11, 50].map((n) => lockSeconds(rule, n))).toEqual([
      0, 0, 60, 120, 240, 1920, 3600, 3600,
    ]);
  });

  it('keys IPv4 by address and IPv6 by its /64', () => {
    expect(clientNetwork('203.0.113.7')).toBe('203.0.113.7');
    expect(clientNetwork('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientNetwork('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientNetwork('[2001:0db8:0001:0002:ffff:0:0:9]')).toBe('2001:db8:1:2::/64');
    expect(clientNetwork('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientNetwork('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientNetwork('::1')).toBe('0:0:0:0::/64');
    expect(clientNetwork(null)).toBeNull();
    expect(clientNetwork('  ')).toBeNull();
  });

  it('reads LOGIN_LOCKOUT_* and refuses nonsense', () => {
    expect(lockoutPolicyFromEnv({})).toEqual(DEFAULT_LOCKOUT_POLICY);
    const policy = lockoutPolicyFromEnv({
      LOGIN_LOCKOUT_ACCOUNT_THRESHOLD: '3',
      LOGIN_LOCKOUT_IP_THRESHOLD: '100',
      LOGIN_LOCKOUT_BASE_SECONDS: '30',
      LOGIN_LOCKOUT_MAX_SECONDS: '7200',
    });
    expect(policy.account).toMatchObject({ threshold: 3, baseSeconds: 30, maxSeconds: 7200 });
    expect(policy.ip).toMatchObject({ threshold: 100, baseSeconds: 30, maxSeconds: 7200 });
    // A lock always ends before its failures are forgotten.
    expect(policy.ip.forgetSeconds).toBeGreaterThanOrEqual(7200);
    expect(() => lockoutPolicyFromEnv({ LOGIN_LOCKOUT_ACCOUNT_THRESHOLD: '0' })).toThrow(/THRESHOLD/);
    expect(() => lockoutPolicyFromEnv({ LOGIN_LOCKOUT_BASE_SECONDS: '1.5' })).toThrow(/BASE/);
    expect(() => lockoutPolicyFromEnv({ LOGIN_LOCKOUT_BASE_SECONDS: '600', LOGIN_LOCKOUT_MAX_SECONDS: '60' })).toThrow(
      /MAX/,
    );
  });

  it('says how long to wait in words', () => {
    expect(waitInWords(1)).toBe('1 second');
    expect(waitInWords(45)).toBe('45 seconds');
    expect(waitInWords(60)).toBe('1 minute');
    expect(waitInWords(61)).toBe('2 minutes');
    expect(new LoginLockedError(120).message).toBe('Too many failed sign-ins. Try again in 2 minutes.');
  });
});

describe('lockout kept in the directory', () => {
  let connection: Connection;
  beforeAll(async () => {
    connection = await openConnection('directory', directoryUrl(), 2);
    await connection.migrate(directoryMigrations);
  }, 120_000);
  afterAll(() => connection?.close());

  /** A lockout on its own clock, over fresh keys: the real directory is shared by every suite and run. */
  function lockout(policy = DEFAULT_LOCKOUT_POLICY) {
    // From the real time on: the store prunes by its callers' clocks, and other suites' rows must outlive this one's.
    let now = new Date();
    const subject = createLoginLockout({
      store: new SqlLoginThrottle(connection),
      ownsStore: true,
      policy,
      clock: () => now,
    });
    const advance = (seconds: number) => {
      now = new Date(now.getTime() + seconds * 1000);
    };
    const tag = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    const email = (name: string) => `${name}-${tag}@lockout.example`;
    const ip = `198.18.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}`;
    return { subject, advance, email, ip };
  }

  const retryAfter = async (promise: Promise<void>) => {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    return error instanceof LoginLockedError ? error.retryAfterSeconds : null;
  };

  it('locks an email after five failures, for a minute, then twice as long after each further failure', async () => {
    const { subject, advance, email } = lockout();
    const ada = email('ada');
    for (let i = 1; i <= 4; i++) {
      expect(await subject.recordFailure(ada, null)).toEqual([]);
      await expect(subject.assertOpen(ada, null)).resolves.toBeUndefined();
    }
    const [imposed] = await subject.recordFailure(ada, null);
    expect(imposed).toMatchObject({ scope: 'account', failures: 5 });
    expect(await retryAfter(subject.assertOpen(ada, null))).toBe(60);
    advance(45);
    expect(await retryAfter(subject.assertOpen(ada, null))).toBe(15);
    advance(15);
    await expect(subject.assertOpen(ada, null)).resolves.toBeUndefined();
    await subject.recordFailure(ada, null);
    expect(await retryAfter(subject.assertOpen(ada, null))).toBe(120);
    for (let i = 0; i < 8; i++) {
      advance(3600);
      await subject.recordFailure(ada, null);
    }
    // Capped at an hour.
    expect(await retryAfter(subject.assertOpen(ada, null))).toBe(3600);
    // Another email is not affected.
    await expect(subject.assertOpen(email('grace'), null)).resolves.toBeUndefined();
  });

  it('forgets an email’s failures on success, and after a quiet day', async () => {
    const { subject, advance, email } = lockout();
    const ada = email('ada');
    for (let i = 0; i < 4; i++) await subject.recordFailure(ada, null);
    await subject.recordSuccess(ada);
    for (let i = 0; i < 4; i++) await subject.recordFailure(ada, null);
    await expect(subject.assertOpen(ada, null)).resolves.toBeUndefined();
    advance(24 * 3600 + 1);
    expect(await subject.recordFailure(ada, null)).toEqual([]);
    await expect(subject.assertOpen(ada, null)).resolves.toBeUndefined();
  });

  it('locks a network that fails across many emails, and only that network', async () => {
    const policy = { ...DEFAULT_LOCKOUT_POLICY, ip: { ...DEFAULT_LOCKOUT_POLICY.ip, threshold: 6 } };
    const { subject, email, ip } = lockout(policy);
    for (let i = 0; i < 5; i++) expect(await subject.recordFailure(email(`spray${i}`), ip)).toEqual([]);
    const imposed = await subject.recordFailure(email('spray5'), ip);
    expect(imposed).toEqual([expect.objectContaining({ scope: 'ip', failures: 6 })]);
    // A fresh email from that network is refused; the same email from elsewhere is not.
    expect(await retryAfter(subject.assertOpen(email('fresh'), ip))).toBe(60);
    await expect(subject.assertOpen(email('fresh'), '203.0.113.250')).resolves.toBeUndefined();
    // A success does not clear the network.
    await subject.recordSuccess(email('fresh'));
    expect(await retryAfter(subject.assertOpen(email('fresh'), ip))).toBe(60);
  });

  it('counts concurrent failures of one key each once', async () => {
    const { subject, email } = lockout();
    const ada = email('ada');
    const results = await Promise.all(Array.from({ length: 5 }, () => subject.recordFailure(ada, null)));
    expect(results.flat()).toEqual([expect.objectContaining({ scope: 'account', failures: 5 })]);
  });

  it('stores digests, never the email or the address', async () => {
    const { subject, email, ip } = lockout();
    const ada = email('ada');
    await subject.recordFailure(ada, ip);
    const keys = JSON.stringify(await connection.db.select().from(loginThrottles));
    expect(keys).not.toContain(ada);
    expect(keys).not.toContain(ip);
  });
});
