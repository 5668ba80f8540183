import { parseLsn } from '../edge/protocol/consistency-token.ts';
import type { Connection } from './database.ts';
import { openConnection } from './drivers/open.ts';
import { assertNotPrivileged } from './drivers/privileges.ts';
import type { QueryObserver } from './query-timing.ts';
import type { ReadScope } from './read-routing.ts';

type Rows = <T>(text: string) => Promise<T[]>;

function rowsOf(connection: Connection): Rows {
  const { native } = connection;
  if (native.kind !== 'pool') throw new Error(`${connection.id}: replicas and their primaries must be PostgreSQL`);
  return async <T>(text: string) => (await native.query(text)).rows as T[];
}

/** The primary's WAL position now (after a write committed): the token a following read must see replayed. */
export async function writePosition(primary: Connection): Promise<bigint> {
  const [row] = await rowsOf(primary)<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn');
  const position = parseLsn(row?.lsn);
  if (position === null) throw new Error(`${primary.id}: no WAL position`);
  return position;
}

export type ReplicationLag = { bytes: number; seconds: number };

/**
 * A shard's streaming replica (a hot standby of its primary), read as the same ordinary role: RLS binds it as it
 * binds the primary. It is never migrated (it replays the primary's migrations) and never written.
 */
export class Replica {
  /** The furthest replay position seen: it only grows, so a token at or below it needs no question. */
  private replayed = -1n;
  private verified = false;

  private constructor(
    readonly shardId: string,
    readonly connection: Connection,
  ) {}

  /**
   * Opens the replica of `shardId`. A replica that answers must be a standby reached as an ordinary role, or the
   * region refuses to start; one that does not answer yet is checked on first use, and reads fall back meanwhile.
   */
  static async open(shardId: string, url: string, poolSize?: number, observe?: QueryObserver): Promise<Replica> {
    if (url.startsWith('pglite:')) throw new Error(`${shardId}: an embedded PGlite database cannot have a replica`);
    const replica = new Replica(shardId, await openConnection(`${shardId}-replica`, url, poolSize, observe));
    try {
      await replica.verify();
    } catch (error) {
      if (unavailable(error)) return replica;
      await replica.connection.close();
      throw error;
    }
    return replica;
  }

  private async verify(): Promise<void> {
    if (this.verified) return;
    const rows = rowsOf(this.connection);
    await assertNotPrivileged(this.connection.id, rows);
    const [state] = await rows<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby');
    if (!state?.standby) {
      throw new Error(`${this.connection.id}: not a standby (pg_is_in_recovery() is false); check SHARD_REPLICA_URLS`);
    }
    this.verified = true;
  }

  /** How far the replica has replayed the primary's WAL (asked now). */
  async replayPosition(): Promise<bigint | null> {
    await this.verify();
    const [row] = await rowsOf(this.connection)<{ lsn: string | null }>('SELECT pg_last_wal_replay_lsn()::text AS lsn');
    const position = parseLsn(row?.lsn);
    if (position !== null && position > this.replayed) this.replayed = position;
    return position;
  }

  /** Whether a read here sees every write up to `position` of the primary. */
  async hasReplayed(position: bigint): Promise<boolean> {
    if (this.replayed >= position) return true;
    const now = await this.replayPosition();
    return now !== null && now >= position;
  }

  /**
   * Bytes of WAL the primary has written that the replica has not replayed, and the age of the last transaction it
   * replayed while any remain (0 when caught up: an idle primary leaves nothing to wait for).
   */
  async lag(primary: Connection): Promise<ReplicationLag> {
    const [written, replay] = await Promise.all([
      rowsOf(primary)<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn'),
      rowsOf(this.connection)<{ lsn: string | null; age: number | null }>(
        `SELECT pg_last_wal_replay_lsn()::text AS lsn,
                extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp())::float8 AS age`,
      ),
    ]);
    const primaryAt = parseLsn(written[0]?.lsn);
    const replicaAt = parseLsn(replay[0]?.lsn);
    if (primaryAt === null || replicaAt === null) throw new Error(`${this.connection.id}: no replication position`);
    if (replicaAt > this.replayed) this.replayed = replicaAt;
    const behind = primaryAt > replicaAt ? primaryAt - replicaAt : 0n;
    return { bytes: Number(behind), seconds: behind > 0n ? Math.max(0, replay[0]?.age ?? 0) : 0 };
  }

  close(): Promise<void> {
    return this.connection.close();
  }
}

/**
 * One tenant transaction (`run`) of a read scope: on the replica when it has replayed the token's position for this
 * shard (or there is none), else on the primary. A replica that cannot answer (down, restarting, a query cancelled
 * by replay) falls back to the primary, and so does work that turns out to write: the standby refuses the write,
 * its transaction changed nothing, and the work is run again from the start on the primary.
 */
export async function readThroughReplica<T>(
  primary: Connection,
  replica: Replica,
  scope: ReadScope,
  run: (connection: Connection) => Promise<T>,
): Promise<T> {
  const shard = primary.id;
  const onPrimary = (reason: 'behind_token' | 'replica_unavailable' | 'wrote') => {
    scope.served.push({ shard, target: 'primary', reason });
    return run(primary);
  };
  const wanted = scope.token.get(shard);
  if (wanted !== undefined) {
    try {
      if (!(await replica.hasReplayed(wanted))) return onPrimary('behind_token');
    } catch (error) {
      if (unavailable(error)) return onPrimary('replica_unavailable');
      throw error;
    }
  }
  try {
    const result = await run(replica.connection);
    scope.served.push({ shard, target: 'replica', reason: wanted === undefined ? 'no_token' : 'caught_up' });
    return result;
  } catch (error) {
    if (sqlState(error) === READ_ONLY_TRANSACTION) return onPrimary('wrote');
    if (unavailable(error)) return onPrimary('replica_unavailable');
    throw error;
  }
}

const READ_ONLY_TRANSACTION = '25006';
const NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);

/** The SQLSTATE (or Node system error code) of an error, through drizzle's wrapping of the driver's. */
function sqlState(error: unknown): string | undefined {
  for (
    let e = error, depth = 0;
    e && typeof e === 'object' && depth < 5;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function messages(error: unknown): string {
  const parts: string[] = [];
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) parts.push(e.message);
  return parts.join(' | ');
}

/**
 * The replica, not the query, is the problem: it cannot be reached (08xxx, a network error, a dropped
 * connection), is shutting down or starting (57P0x), or cancelled the query for a conflict with replay (40001).
 */
export function unavailable(error: unknown): boolean {
  const code = sqlState(error);
  if (code && (code.startsWith('08') || /^57P0\d$/.test(code) || code === '40001' || NETWORK_ERRORS.has(code))) {
    return true;
  }
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(messages(error));
}
