import { sql } from 'drizzle-orm';
import type { AppDatabase } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import { rowsOf } from '../../db/rows.ts';
import type { BusEvent, DeadLetter, EventBus, SubscribeOptions, Subscription } from './bus.ts';
import { ensureLogSchema, tablesOf, typeFilter } from './postgres-log-schema.ts';
import {
  assertGroupName,
  assertPublishable,
  type Handling,
  inBatches,
  oneByOne,
  pause,
  resolveSubscribeOptions,
  settle,
  settledTogether,
} from './settle.ts';

export type PostgresLogBusOptions = {
  /** The schema that holds the log's tables; one per bus. */
  schema?: string;
  /** How often an idle subscription looks for new events. */
  pollIntervalMs?: number;
  /** How long a group's lease outlives a process that stopped renewing it (killed). */
  leaseMs?: number;
  /** Longest a batch's settled events wait before their position is committed (a killed process redoes them). */
  commitIntervalMs?: number;
  onError?: (error: unknown, context: string) => void;
};

export type PostgresLogBus = EventBus & {
  /** Deletes events older than `olderThan` that every group has passed; returns how many. */
  prune(olderThan: Date): Promise<number>;
};

type EventRow = {
  seq: string;
  id: string;
  type: string;
  organizationId: string;
  region: string;
  aggregateType: string;
  aggregateId: string;
  occurredAt: string;
  payload: unknown;
};

const PUBLISH_CHUNK = 1_000;

/**
 * The embedded default: an append-only log in PostgreSQL (its own schema, `crm_bus`), reached through the
 * application's drizzle database, so PGlite, pg and Neon all carry it.
 *
 * Ordering: `seq` is a bigserial, and with concurrent publishers a lower seq could commit after a higher one that a
 * consumer had already passed. Publishers therefore take a transaction-level advisory lock on the log: one
 * publisher at a time assigns and commits seqs, so a committed seq is never followed by a smaller one (a batch is
 * one INSERT per 1,000 events, which keeps throughput high).
 *
 * Consumers: a group is a row (position = the last seq it settled). One process of the group holds it at a time
 * through a lease (owner + expiry, taken with `FOR UPDATE SKIP LOCKED` so contenders never wait on the row) and
 * renewed while it works; a second process waits idle until the lease is released (stop) or expires (a killed
 * process). No transaction stays open across a handler: on PGlite (one connection) that would block every other
 * query, the handler's own writes included. The position advances as events settle, committed at the end of each
 * batch and every `commitIntervalMs` within one, so a killed process leaves it where its last commit put it and
 * the events after that are handled again (at-least-once); a lost lease stops the batch.
 */
export async function openPostgresLogBus(
  db: AppDatabase,
  options: PostgresLogBusOptions = {},
): Promise<PostgresLogBus> {
  const schema = options.schema ?? 'crm_bus';
  const pollIntervalMs = options.pollIntervalMs ?? 100;
  const leaseMs = options.leaseMs ?? 30_000;
  const commitIntervalMs = options.commitIntervalMs ?? 250;
  const onError = options.onError ?? ((error, context) => console.error(`postgres-log bus: ${context}`, error));
  const t = tablesOf(schema);
  await ensureLogSchema(db, schema);

  const lease = sql`now() + ${leaseMs} * interval '1 millisecond'`;
  const wakers = new Set<() => void>();
  const running = new Set<Subscription>();
  let closed = false;

  const claim = async (group: string, owner: string): Promise<string | null> => {
    const [row] = await rowsOf<{ position: string }>(
      db,
      sql`UPDATE ${t.groups} g SET lease_owner = ${owner}, lease_until = ${lease}
          FROM (SELECT name FROM ${t.groups}
                WHERE name = ${group} AND (lease_owner IS NULL OR lease_owner = ${owner} OR lease_until < now())
                FOR UPDATE SKIP LOCKED) free
          WHERE g.name = free.name
          RETURNING g.position::text AS position`,
    );
    return row?.position ?? null;
  };

  /** Moves the group to `seq` while this process still holds it; false when the lease was lost. */
  const advance = async (group: string, owner: string, seq: string): Promise<boolean> => {
    const moved = await rowsOf(
      db,
      sql`UPDATE ${t.groups} SET position = greatest(position, ${seq}::bigint), lease_until = ${lease}
          WHERE name = ${group} AND lease_owner = ${owner} RETURNING 1 AS ok`,
    );
    return moved.length === 1;
  };

  const deadLetter = (group: string, owner: string, row: EventRow, error: string, attempts: number) =>
    db.transaction(async (tx) => {
      const moved = await rowsOf(
        tx,
        sql`UPDATE ${t.groups} SET position = greatest(position, ${row.seq}::bigint), lease_until = ${lease}
            WHERE name = ${group} AND lease_owner = ${owner} RETURNING 1 AS ok`,
      );
      if (moved.length !== 1) return false;
      await tx.execute(
        sql`INSERT INTO ${t.deadLetters} (group_name, event_seq, event, error, attempts)
            VALUES (${group}, ${row.seq}::bigint, ${JSON.stringify(toEvent(row))}::jsonb, ${error}, ${attempts})`,
      );
      return true;
    });

  const logEnd = async () =>
    (await rowsOf<{ seq: string }>(db, sql`SELECT coalesce(max(seq), 0)::text AS seq FROM ${t.events}`))[0]?.seq ?? '0';

  const fetchBatch = async (position: string, types: string[] | undefined, limit: number) => {
    // The log's end is read in the same statement, so from the same snapshot: publishers commit in seq order, so
    // every event up to it is visible to the batch query, and a batch that comes back short means nothing matching
    // lies between it and that end.
    const found = await rowsOf<EventRow & { end: string }>(
      db,
      sql`WITH log AS (SELECT coalesce(max(seq), 0)::text AS "end" FROM ${t.events})
          SELECT log."end", b.* FROM log LEFT JOIN LATERAL (
            SELECT e.seq AS position, seq::text AS seq, id::text AS id, type, organization_id::text AS "organizationId", region,
              aggregate_type AS "aggregateType", aggregate_id::text AS "aggregateId",
              to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "occurredAt", payload
            FROM ${t.events} e
            WHERE e.seq > ${position}::bigint
              AND ${typeFilter(sql`e.type`, sql`${types ? JSON.stringify(types) : null}::jsonb`)}
            ORDER BY e.seq LIMIT ${limit}
          ) b ON true
          ORDER BY b.position`,
    );
    const end = found[0]?.end ?? '0';
    // An empty batch is the one row of the log's end, with nothing joined.
    const events = found.filter((row) => row.seq !== null);
    return { events, end };
  };

  function subscribe(group: string, options: SubscribeOptions, handling: Handling) {
    if (closed) throw new Error('postgres-log bus: closed');
    assertGroupName(group);
    const opts = resolveSubscribeOptions(options);
    const owner = newId();
    const stopping = new AbortController();
    // A publish through this bus wakes its idle subscribers (or, when busy, spares them the next wait).
    let wake = () => {};
    let woken = false;
    const waker = () => {
      woken = true;
      wake();
    };
    wakers.add(waker);
    /** Waits for a publish of this process or the next poll; true when a publish ended the wait. */
    const idle = () =>
      new Promise<boolean>((resolve) => {
        if (woken || stopping.signal.aborted) {
          const published = woken;
          woken = false;
          resolve(published);
          return;
        }
        const timer = setTimeout(done, pollIntervalMs);
        stopping.signal.addEventListener('abort', done, { once: true });
        wake = done;
        function done() {
          clearTimeout(timer);
          stopping.signal.removeEventListener('abort', done);
          wake = () => {};
          const published = woken;
          woken = false;
          resolve(published);
        }
      });

    // Once caught up while holding the group, an idle poll only reads the log's end: no lease write per poll.
    let caughtUpTo: string | undefined;
    let claimedAt = 0;
    const nothingNew = async () => {
      if (caughtUpTo === undefined || Date.now() - claimedAt > leaseMs / 3) return false;
      return (await logEnd()) === caughtUpTo;
    };

    /** One claim-fetch-handle round; resolves whether the batch came back full (more is waiting). */
    const round = async (): Promise<boolean> => {
      caughtUpTo = undefined;
      const position = await claim(group, owner);
      if (position === null) return false;
      claimedAt = Date.now();
      const { events, end } = await fetchBatch(position, opts.types, opts.batchSize);
      // Settled events are committed together when the batch ends. While it runs, a checkpoint every
      // commitIntervalMs commits what has settled so far and renews the lease: a killed process redoes at most that
      // much (at-least-once), a live one keeps its group however slow its handler.
      let settledTo = position;
      let lost = false;
      const checkpoint = () =>
        advance(group, owner, settledTo)
          .then((kept) => {
            lost ||= !kept;
          })
          .catch((error) => onError(error, `checkpointing group ${group}`));
      const timer = setInterval(checkpoint, Math.min(commitIntervalMs, leaseMs / 3));
      try {
        let handledAll = true;
        const together =
          !stopping.signal.aborted &&
          !lost &&
          (await settledTogether(events.map(toEvent), handling, (error) =>
            onError(error, `group ${group}: a batch of ${events.length} failed; handling its events one by one`),
          ));
        if (together) settledTo = events.at(-1)?.seq ?? settledTo;
        for (const row of together ? [] : events) {
          if (stopping.signal.aborted || lost) {
            handledAll = false;
            break;
          }
          const outcome = await settle(toEvent(row), handling.one, { ...opts, stopping: stopping.signal });
          if (outcome.kind === 'abandoned') {
            handledAll = false;
            break;
          }
          // A dead letter moves the position over its event (and those settled before it) in one transaction.
          if (outcome.kind === 'dead' && !(await deadLetter(group, owner, row, outcome.error, outcome.attempts))) {
            return false;
          }
          settledTo = row.seq;
        }
        clearInterval(timer);
        const full = events.length === opts.batchSize;
        // Caught up: move past the events the filter skipped too, so lag and pruning see the group as current.
        if (handledAll && !full && BigInt(end) > BigInt(settledTo)) settledTo = end;
        const kept = settledTo === position || (await advance(group, owner, settledTo));
        if (kept && !lost && handledAll && !full) caughtUpTo = end;
        return kept && !lost && full && handledAll;
      } finally {
        clearInterval(timer);
      }
    };

    const loop = (async () => {
      let registered = false;
      let somethingNew = false;
      for (let failures = 0; !stopping.signal.aborted; ) {
        try {
          if (!registered) {
            // A new group starts at the beginning of the retained log; a known one keeps its position.
            await db.execute(
              sql`INSERT INTO ${t.groups} (name, types) VALUES (${group}, ${opts.types ? JSON.stringify(opts.types) : null}::jsonb)
                  ON CONFLICT (name) DO UPDATE SET types = excluded.types`,
            );
            registered = true;
          }
          // After a full batch or a publish here there is something new: a look at the log's end would be wasted.
          const full: boolean = !somethingNew && (await nothingNew()) ? false : await round();
          failures = 0;
          somethingNew = full || (await idle());
        } catch (error) {
          failures++;
          onError(error, `consuming group ${group}`);
          await pause(Math.min(pollIntervalMs * 2 ** failures, 5_000), stopping.signal);
        }
      }
      await db
        .execute(
          sql`UPDATE ${t.groups} SET lease_owner = NULL, lease_until = NULL WHERE name = ${group} AND lease_owner = ${owner}`,
        )
        .catch((error) => onError(error, `releasing group ${group}`));
    })();

    const subscription: Subscription = {
      async stop() {
        stopping.abort();
        await loop;
        wakers.delete(waker);
        running.delete(subscription);
      },
    };
    running.add(subscription);
    return subscription;
  }

  return {
    kind: 'postgres-log',

    async publish(events) {
      if (closed) throw new Error('postgres-log bus: closed');
      if (events.length === 0) return;
      for (const event of events) assertPublishable(event);
      await db.transaction(async (tx) => {
        await tx.execute(sql`SELECT pg_advisory_xact_lock(${t.publishLock})`);
        for (let i = 0; i < events.length; i += PUBLISH_CHUNK) {
          const chunk = JSON.stringify(events.slice(i, i + PUBLISH_CHUNK).map(toRow));
          await tx.execute(
            sql`INSERT INTO ${t.events}
                  (id, type, organization_id, region, aggregate_type, aggregate_id, occurred_at, payload)
                SELECT (e->>'id')::uuid, e->>'type', (e->>'organizationId')::uuid, e->>'region', e->>'aggregateType',
                       (e->>'aggregateId')::uuid, (e->>'occurredAt')::timestamptz, coalesce(e->'payload', 'null'::jsonb)
                FROM jsonb_array_elements(${chunk}::jsonb) WITH ORDINALITY AS x(e, ord)
                ORDER BY x.ord
                ON CONFLICT (id) DO NOTHING`,
          );
        }
      });
      // Subscribers of this process need not wait for their next poll.
      for (const waker of wakers) waker();
    },

    subscribe: (group, options, handler) => subscribe(group, options, oneByOne(handler)),

    subscribeBatches: (group, options, handler) => subscribe(group, options, inBatches(handler)),

    async lag(group) {
      const [row] = await rowsOf<{ n: number }>(
        db,
        sql`SELECT count(e.seq)::int AS n FROM ${t.groups} g JOIN ${t.events} e ON e.seq > g.position
            WHERE g.name = ${group} AND ${typeFilter(sql`e.type`, sql`g.types`)}`,
      );
      return row?.n ?? 0;
    },

    async deadLetters(group, limit = 100) {
      const rows = await rowsOf<{ event: BusEvent; error: string; attempts: number; at: string }>(
        db,
        sql`SELECT event, error, attempts, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
            FROM ${t.deadLetters} WHERE group_name = ${group} ORDER BY id LIMIT ${limit}`,
      );
      return rows.map((r): DeadLetter => ({ group, event: r.event, error: r.error, attempts: r.attempts, at: r.at }));
    },

    async prune(olderThan) {
      const [row] = await rowsOf<{ n: number }>(
        db,
        sql`WITH gone AS (
              DELETE FROM ${t.events}
              WHERE published_at < ${olderThan.toISOString()}::timestamptz
                AND seq <= coalesce((SELECT min(position) FROM ${t.groups}), (SELECT max(seq) FROM ${t.events}))
              RETURNING 1)
            SELECT count(*)::int AS n FROM gone`,
      );
      return row?.n ?? 0;
    },

    async close() {
      closed = true;
      await Promise.all([...running].map((s) => s.stop()));
    },
  };
}

function toRow(event: BusEvent) {
  return { ...event, payload: event.payload ?? null };
}

function toEvent(row: EventRow): BusEvent {
  return {
    id: row.id,
    type: row.type,
    organizationId: row.organizationId,
    region: row.region,
    aggregateType: row.aggregateType,
    aggregateId: row.aggregateId,
    occurredAt: row.occurredAt,
    payload: row.payload,
  };
}
