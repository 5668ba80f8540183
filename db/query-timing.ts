/**
 * Times every query a shard runs, for `db_query_duration_seconds`. The driver's own client is wrapped once, on the
 * instance (never a prototype: two regions in one process keep their own observers), so every path is covered —
 * drizzle's queries and transactions, the job queue's native SQL, migrations — at the cost of two clock reads.
 * Only the statement's kind is reported, never its text or parameters.
 */
import { endQuerySpan, startQuerySpan } from './query-tracing.ts';

export type QueryOperation = 'select' | 'insert' | 'update' | 'delete' | 'other';
export type QueryObserver = (operation: QueryOperation, seconds: number) => void;

const kinds: Record<string, QueryOperation> = {
  select: 'select',
  insert: 'insert',
  update: 'update',
  delete: 'delete',
};

/** The statement's first word, when it is one of the four; a CTE, DDL or transaction control is `other`. */
export function operationOf(sqlText: unknown): QueryOperation {
  if (typeof sqlText !== 'string') return 'other';
  const word = /^\s*([A-Za-z]+)/.exec(sqlText.slice(0, 32))?.[1]?.toLowerCase();
  return (word && kinds[word]) || 'other';
}

const textOf = (query: unknown): unknown =>
  typeof query === 'string' ? query : query && typeof query === 'object' ? (query as { text?: unknown }).text : null;

type QueryFunction = (...args: unknown[]) => unknown;

/** Wraps one `query` method (promise or node-style callback) so each call reports its kind and duration. */
function timed(query: QueryFunction, self: unknown, observe: QueryObserver): QueryFunction {
  return function timedQuery(...args: unknown[]) {
    const first = args[0];
    // A cursor or stream (a Submittable) runs past this call's return; it is not a single timed statement.
    if (first && typeof first === 'object' && typeof (first as { submit?: unknown }).submit === 'function') {
      return query.apply(self, args);
    }
    const operation = operationOf(textOf(first));
    const started = performance.now();
    // With OTEL_EXPORTER_OTLP_ENDPOINT set, a span per statement inside a traced request (db/query-tracing.ts).
    const span = startQuerySpan(operation);
    const done = (error?: unknown) => {
      endQuerySpan(span, error);
      observe(operation, (performance.now() - started) / 1000);
    };
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function') {
      args[last] = (...results: unknown[]) => {
        done(results[0]);
        return (callback as QueryFunction)(...results);
      };
      return query.apply(self, args);
    }
    let result: unknown;
    try {
      result = query.apply(self, args);
    } catch (error) {
      done(error);
      throw error;
    }
    if (result && typeof (result as Promise<unknown>).then === 'function')
      (result as Promise<unknown>).then(() => done(), done);
    return result;
  };
}

type QueryHolder = { query: QueryFunction };

/**
 * A `pg` (or Neon serverless) pool: each client is wrapped as the pool creates it. `pool.query` runs through a
 * client's `query`, so a statement is counted once whichever way it was sent.
 */
export function timePoolQueries(
  pool: { on(event: 'connect', listener: (client: never) => void): unknown },
  observe: QueryObserver,
): void {
  pool.on('connect', (client: QueryHolder) => {
    client.query = timed(client.query, client, observe);
  });
}

type PgliteLike = {
  query: QueryFunction;
  transaction: (work: (tx: QueryHolder) => Promise<unknown>) => Promise<unknown>;
};

/** PGlite: its own `query`, and the `query` of each transaction it hands out (a separate path inside PGlite). */
export function timePgliteQueries(client: PgliteLike, observe: QueryObserver): void {
  client.query = timed(client.query, client, observe);
  const transaction = client.transaction;
  client.transaction = (work) =>
    transaction.call(client, (tx: QueryHolder) => {
      tx.query = timed(tx.query, tx, observe);
      return work(tx);
    });
}
