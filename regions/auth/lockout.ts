import type { LoginThrottleStore, ThrottleFailure, ThrottleRule } from '../../db/directory/login-throttle.ts';
import { ApiError } from '../../openapi/errors.ts';

/**
 * Growing delays after failed sign-ins. Two kinds of key, both kept in the global directory:
 *
 * - the **account**, by normalised email whether or not it is registered (an unknown address is locked exactly like
 *   a known one, so a lock says nothing about registration); a success forgets its failures;
 * - the **client's network** (the IPv4 address, or the /64 of an IPv6 one, since one host holds a whole /64), with a
 *   higher threshold: it slows one source trying many accounts, which the per-account rule cannot see.
 *
 * From its threshold on, each further failure locks the key for the base delay, doubled each time, up to the
 * maximum; a locked key is refused without checking the password, and the refusal is not counted.
 */
export type LockoutPolicy = { account: ThrottleRule; ip: ThrottleRule };

export const DEFAULT_LOCKOUT_POLICY: LockoutPolicy = {
  // 5 failures → 1 minute, then 2, 4, … up to an hour; forgotten after a day without a failure.
  account: { threshold: 5, baseSeconds: 60, maxSeconds: 3600, forgetSeconds: 24 * 3600 },
  // A network shared by an office may mistype now and then: 30 in a row (no quiet hour between) before any delay.
  ip: { threshold: 30, baseSeconds: 60, maxSeconds: 3600, forgetSeconds: 3600 },
};

/** Reads `LOGIN_LOCKOUT_*` (README's table); anything unset keeps the default. */
export function lockoutPolicyFromEnv(env: Record<string, string | undefined>): LockoutPolicy {
  const whole = (name: string, fallback: number, max: number) => {
    const value = env[name];
    if (value === undefined || value === '') return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`${name} must be a whole number, 1–${max}`);
    return n;
  };
  const baseSeconds = whole('LOGIN_LOCKOUT_BASE_SECONDS', DEFAULT_LOCKOUT_POLICY.account.baseSeconds, 86_400);
  const maxSeconds = whole('LOGIN_LOCKOUT_MAX_SECONDS', DEFAULT_LOCKOUT_POLICY.account.maxSeconds, 86_400);
  if (maxSeconds < baseSeconds)
    throw new Error('LOGIN_LOCKOUT_MAX_SECONDS must not be below LOGIN_LOCKOUT_BASE_SECONDS');
  const delays = { baseSeconds, maxSeconds };
  return {
    account: {
      ...DEFAULT_LOCKOUT_POLICY.account,
      ...delays,
      threshold: whole('LOGIN_LOCKOUT_ACCOUNT_THRESHOLD', DEFAULT_LOCKOUT_POLICY.account.threshold, 1000),
      // A lock must end before its failures are forgotten, or the doubling would never be reached.
      forgetSeconds: Math.max(DEFAULT_LOCKOUT_POLICY.account.forgetSeconds, maxSeconds * 2),
    },
    ip: {
      ...DEFAULT_LOCKOUT_POLICY.ip,
      ...delays,
      threshold: whole('LOGIN_LOCKOUT_IP_THRESHOLD', DEFAULT_LOCKOUT_POLICY.ip.threshold, 1_000_000),
      forgetSeconds: Math.max(DEFAULT_LOCKOUT_POLICY.ip.forgetSeconds, maxSeconds),
    },
  };
}

/** `ceil` seconds, in words a person reads: "40 seconds", "1 minute", "16 minutes". */
export function waitInWords(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/** 429 `too_many_attempts`; the route sends `retryAfterSeconds` as Retry-After. */
export class LoginLockedError extends ApiError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'too_many_attempts', `Too many failed sign-ins. Try again in ${waitInWords(retryAfterSeconds)}.`);
  }
}

/**
 * The network an address belongs to, as the lock's key: an IPv4 address itself (also when written IPv4-mapped), an
 * IPv6 address's first 64 bits. Null when there is none to read (then only the account rule applies).
 */
export function clientNetwork(ip: string | null | undefined): string | null {
  const address = ip
    ?.trim()
    .replace(/^\[|\]$/g, '')
    .replace(/%.*$/, '')
    .toLowerCase();
  if (!address) return null;
  const mapped = /^(?:::|(?:0{1,4}:){5})ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  // An embedded IPv4 tail ("64:ff9b::1.2.3.4") counts as two groups; only the first four matter here anyway.
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...Array.from({ length: Math.max(0, missing) }, () => '0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

async function digest(text: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export type ImposedLock = { scope: 'account' | 'ip'; failures: number; lockedUntil: Date };

export type LoginLockout = {
  readonly policy: LockoutPolicy;
  readonly store: LoginThrottleStore;
  /** Whether this process keeps the store (and serves it to peers at /internal/login-throttle). */
  readonly ownsStore: boolean;
  /** Throws {@link LoginLockedError} when the email or the client's network is locked now. */
  assertOpen(email: string, ip: string | null): Promise<void>;
  /** Counts a failed sign-in against both; the locks this failure imposed, if any. */
  recordFailure(email: string, ip: string | null): Promise<ImposedLock[]>;
  /** The right password: the account's failures are forgotten (the network's are not). */
  recordSuccess(email: string): Promise<void>;
};

export function createLoginLockout(options: {
  store: LoginThrottleStore;
  ownsStore: boolean;
  policy?: LockoutPolicy;
  clock?: () => Date;
}): LoginLockout {
  const policy = options.policy ?? DEFAULT_LOCKOUT_POLICY;
  const clock = options.clock ?? (() => new Date());
  const { store } = options;
  const accountKey = async (email: string) => `account:${await digest(email)}`;
  const networkKey = async (ip: string | null) => {
    const network = clientNetwork(ip);
    return network ? `ip:${await digest(network)}` : null;
  };

  return {
    policy,
    store,
    ownsStore: options.ownsStore,
    async assertOpen(email, ip) {
      const keys = [await accountKey(email), await networkKey(ip)].filter((key): key is string => key !== null);
      const now = clock();
      const locks = await store.locks(keys, now);
      if (locks.length === 0) return;
      const until = Math.max(...locks.map((lock) => lock.lockedUntil.getTime()));
      throw new LoginLockedError(Math.max(1, Math.ceil((until - now.getTime()) / 1000)));
    },
    async recordFailure(email, ip) {
      const account = await accountKey(email);
      const network = await networkKey(ip);
      const failures: ThrottleFailure[] = [{ key: account, rule: policy.account }];
      if (network) failures.push({ key: network, rule: policy.ip });
      const now = clock();
      const states = await store.recordFailures(failures, now);
      return states.flatMap((state) =>
        state.lockedUntil && state.lockedUntil > now
          ? [
              {
                scope: state.key === account ? 'account' : 'ip',
                failures: state.failures,
                lockedUntil: state.lockedUntil,
              },
            ]
          : [],
      );
    },
    async recordSuccess(email) {
      await store.clear(await accountKey(email));
    },
  };
}
