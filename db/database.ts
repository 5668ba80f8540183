import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';

/**
 * Drizzle without its relational query API (`db.query.*`, unused here): given the schema, drizzle builds a query
 * builder per table for every transaction it opens, a measurable part of a short request.
 */
export type AppDatabase = PgDatabase<PgQueryResultHKT>;
export type Tx = PgTransaction<
  PgQueryResultHKT,
  Record<string, never>,
  ExtractTablesWithRelations<Record<string, never>>
>;
export type DriverKind = 'pglite' | 'pg' | 'neon';

/**
 * The driver's own client, for libraries that speak SQL text rather than drizzle (the pg-boss job queue):
 * PGlite itself, or a pool's `query`.
 */
export type NativeClient =
  | { kind: 'pglite'; client: import('@electric-sql/pglite').PGlite }
  | { kind: 'pool'; query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> };

/** One physical database (a shard or the directory), whatever driver reaches it. */
export interface Connection<D = AppDatabase> {
  readonly id: string;
  readonly kind: DriverKind;
  readonly db: D;
  readonly native: NativeClient;
  /** Applies the folder's migrations, idempotently and safely when several processes start at once. */
  migrate(migrationsFolder: string): Promise<void>;
  /** How many migrations of the folder this database has applied. */
  appliedMigrations(): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
  /** Pool figures for /metrics; PGlite has one connection. */
  poolStats(): { total: number; idle: number; waiting: number };
}
