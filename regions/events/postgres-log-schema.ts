import { type SQL, sql } from 'drizzle-orm';
import type { AppDatabase } from '../../db/database.ts';
import { rowsOf } from '../../db/rows.ts';

type Queryable = Pick<AppDatabase, 'execute'>;

export function assertSchemaName(schema: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`postgres-log bus: bad schema name "${schema}"`);
}

/** The log's own tables, named inside its schema. */
export function tablesOf(schema: string) {
  assertSchemaName(schema);
  const s = sql.identifier(schema);
  return {
    schema: s,
    events: sql`${s}.events`,
    groups: sql`${s}.groups`,
    deadLetters: sql`${s}.dead_letters`,
    /** Transaction-level advisory lock keys: one serializes publishers, one the first creation of the tables. */
    publishLock: sql`hashtextextended(${`crm-bus:${schema}:publish`}, 0)`,
    setupLock: sql`hashtextextended(${`crm-bus:${schema}:setup`}, 0)`,
  };
}

async function present(db: Queryable, schema: string): Promise<boolean> {
  const [row] = await rowsOf<{ ok: boolean }>(
    db,
    sql`SELECT to_regclass(${`${schema}.events`}) IS NOT NULL AND to_regclass(${`${schema}.groups`}) IS NOT NULL
          AND to_regclass(${`${schema}.dead_letters`}) IS NOT NULL AS ok`,
  );
  return row?.ok === true;
}

/**
 * Creates the log's schema and tables once, idempotently: under a transaction-level advisory lock, so two
 * processes opening the bus at once do not race on CREATE. The embedded PGlite databases run `SET ROLE crm_app`
 * under a superuser session, and that role may not create schemas there; then the tables are created as the
 * session user and granted to the role (on a real server the role owns its database and creates them itself).
 */
export async function ensureLogSchema(db: AppDatabase, schema: string): Promise<void> {
  if (await present(db, schema)) return;
  const t = tablesOf(schema);
  await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${t.setupLock})`);
    if (await present(tx, schema)) return;
    const [who] = await rowsOf<{ current: string; session: string; canCreate: boolean; sessionSuper: boolean }>(
      tx,
      sql`SELECT current_user AS current, session_user AS session,
            has_database_privilege(current_database(), 'CREATE') AS "canCreate",
            coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false) AS "sessionSuper"`,
    );
    if (!who) throw new Error('postgres-log bus: could not read the current role');
    const elevate = !who.canCreate && who.sessionSuper && who.current !== who.session;
    if (!who.canCreate && !elevate) {
      throw new Error(
        `postgres-log bus: role ${who.current} may not create schema ${schema}; grant it CREATE on the database or create the schema once as its owner`,
      );
    }
    if (elevate) await tx.execute(sql`SET LOCAL ROLE NONE`);
    await tx.execute(sql`CREATE SCHEMA IF NOT EXISTS ${t.schema}`);
    await tx.execute(sql`
      CREATE TABLE IF NOT EXISTS ${t.events} (
        seq bigserial PRIMARY KEY,
        id uuid NOT NULL UNIQUE,
        type text NOT NULL,
        organization_id uuid NOT NULL,
        region text NOT NULL,
        aggregate_type text NOT NULL,
        aggregate_id uuid NOT NULL,
        occurred_at timestamptz NOT NULL,
        payload jsonb NOT NULL,
        published_at timestamptz NOT NULL DEFAULT now()
      )`);
    await tx.execute(sql`
      CREATE TABLE IF NOT EXISTS ${t.groups} (
        name text PRIMARY KEY,
        position bigint NOT NULL DEFAULT 0,
        types jsonb,
        lease_owner uuid,
        lease_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await tx.execute(sql`
      CREATE TABLE IF NOT EXISTS ${t.deadLetters} (
        id bigserial PRIMARY KEY,
        group_name text NOT NULL,
        event_seq bigint NOT NULL,
        event jsonb NOT NULL,
        error text NOT NULL,
        attempts integer NOT NULL,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await tx.execute(sql`CREATE INDEX IF NOT EXISTS dead_letters_group ON ${t.deadLetters} (group_name, id)`);
    await tx.execute(sql`CREATE INDEX IF NOT EXISTS events_published_at ON ${t.events} (published_at)`);
    if (elevate) {
      const role = sql.identifier(who.current);
      await tx.execute(sql`GRANT USAGE ON SCHEMA ${t.schema} TO ${role}`);
      await tx.execute(sql`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${t.schema} TO ${role}`);
      await tx.execute(sql`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${t.schema} TO ${role}`);
    }
  });
}

/** Drops the log (tests). */
export async function dropLogSchema(db: AppDatabase, schema: string): Promise<void> {
  const t = tablesOf(schema);
  await db.transaction(async (tx) => {
    const [who] = await rowsOf<{ canCreate: boolean; differs: boolean }>(
      tx,
      sql`SELECT has_database_privilege(current_database(), 'CREATE') AS "canCreate", current_user <> session_user AS differs`,
    );
    if (who && !who.canCreate && who.differs) await tx.execute(sql`SET LOCAL ROLE NONE`);
    await tx.execute(sql`DROP SCHEMA IF EXISTS ${t.schema} CASCADE`);
  });
}

/**
 * Whether a stored type pattern list (jsonb array, NULL or empty for every type) matches `type`; the SQL twin of
 * `typeMatches` in bus.ts.
 */
export const typeFilter = (type: SQL, patterns: SQL): SQL =>
  sql`(${patterns} IS NULL OR jsonb_array_length(${patterns}) = 0 OR EXISTS (
        SELECT 1 FROM jsonb_array_elements_text(${patterns}) AS p(pattern)
        WHERE p.pattern = ${type} OR (right(p.pattern, 2) = '.*' AND starts_with(${type}, left(p.pattern, -1)))))`;
