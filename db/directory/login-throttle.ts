import { and, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Connection } from '../database.ts';
import { loginThrottles } from './schema.ts';

/**
 * How one kind of key is throttled: from `threshold` failures on, every further failure locks the key for
 * `baseSeconds`, doubled each time, at most `maxSeconds`. Failures are forgotten after `forgetSeconds` without one.
 */
export type ThrottleRule = { threshold: number; baseSeconds: number; maxSeconds: number; forgetSeconds: number };
export type ThrottleFailure = { key: string; rule: ThrottleRule };
export type ThrottleState = { key: string; failures: number; lockedUntil: Date | null };
export type ThrottleLock = { key: string; lockedUntil: Date };

/** How long a key with this many failures in a row is locked (0 below the threshold). */
export function lockSeconds(rule: ThrottleRule, failures: number): number {
  if (failures < rule.threshold) return 0;
  const doublings = Math.min(failures - rule.threshold, 30);
  return Math.min(rule.maxSeconds, rule.baseSeconds * 2 ** doublings);
}

/**
 * Failed sign-ins, kept in the global directory (see db/directory/schema.ts for why there). Every method takes the
 * caller's clock, so the rules are the caller's and tests can move time.
 */
export interface LoginThrottleStore {
  /** The keys among these locked at `now`, with when each lock ends. */
  locks(keys: readonly string[], now: Date): Promise<ThrottleLock[]>;
  /** Counts one failure against each key, locking those it takes to their threshold; their state after. */
  recordFailures(failures: readonly ThrottleFailure[], now: Date): Promise<ThrottleState[]>;
  /** Forgets a key's failures: a successful sign-in. */
  clear(key: string): Promise<void>;
}

/** Rows quiet this long (longer than any rule forgets, and than any lock) are deleted. */
const PRUNE_AFTER_MS = 2 * 24 * 3600_000;
const PRUNE_EVERY_MS = 10 * 60_000;

const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;

export class SqlLoginThrottle implements LoginThrottleStore {
  private lastPrune = 0;
  constructor(private readonly connection: Connection) {}

  private get db() {
    return this.connection.db;
  }

  async locks(keys: readonly string[], now: Date): Promise<ThrottleLock[]> {
    if (keys.length === 0) return [];
    const rows = await this.db
      .select({ key: loginThrottles.key, lockedUntil: loginThrottles.lockedUntil })
      .from(loginThrottles)
      .where(and(inArray(loginThrottles.key, [...keys]), gt(loginThrottles.lockedUntil, now)));
    return rows.flatMap((row) => (row.lockedUntil ? [{ key: row.key, lockedUntil: row.lockedUntil }] : []));
  }

  async recordFailures(failures: readonly ThrottleFailure[], now: Date): Promise<ThrottleState[]> {
    await this.prune(now);
    return Promise.all(failures.map((failure) => this.recordFailure(failure, now)));
  }

  /**
   * One statement, so concurrent failures of one key each count: the count restarts when the last failure is
   * older than the rule forgets, and a count at or over the threshold sets the lock from it.
   */
  private async recordFailure({ key, rule }: ThrottleFailure, now: Date): Promise<ThrottleState> {
    const forgetBefore = new Date(now.getTime() - rule.forgetSeconds * 1000);
    const counted = sql`(CASE WHEN login_throttles.last_failure_at <= ${at(forgetBefore)} THEN 1
      ELSE login_throttles.failures + 1 END)`;
    const lockFor = sql`LEAST(${rule.maxSeconds}::float8,
      ${rule.baseSeconds}::float8 * power(2::float8, LEAST(${counted} - ${rule.threshold}::int, 30)))`;
    const firstLock = lockSeconds(rule, 1);
    const [row] = await this.db
      .insert(loginThrottles)
      .values({
        key,
        failures: 1,
        lastFailureAt: now,
        lockedUntil: firstLock > 0 ? new Date(now.getTime() + firstLock * 1000) : null,
      })
      .onConflictDoUpdate({
        target: loginThrottles.key,
        set: {
          failures: counted,
          lastFailureAt: now,
          lockedUntil: sql`CASE WHEN ${counted} >= ${rule.threshold}::int
            THEN ${at(now)} + make_interval(secs => ${lockFor}) ELSE login_throttles.locked_until END`,
        },
      })
      .returning({
        key: loginThrottles.key,
        failures: loginThrottles.failures,
        lockedUntil: loginThrottles.lockedUntil,
      });
    if (!row) throw new Error('login throttle upsert returned no row');
    return row;
  }

  async clear(key: string): Promise<void> {
    await this.db.delete(loginThrottles).where(eq(loginThrottles.key, key));
  }

  /** At most every few minutes per process: rows long quiet and not locked go. */
  private async prune(now: Date): Promise<void> {
    if (now.getTime() - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now.getTime();
    const before = new Date(now.getTime() - PRUNE_AFTER_MS);
    await this.db
      .delete(loginThrottles)
      .where(
        and(
          lt(loginThrottles.lastFailureAt, before),
          or(isNull(loginThrottles.lockedUntil), lt(loginThrottles.lockedUntil, now)),
        ),
      );
  }
}
