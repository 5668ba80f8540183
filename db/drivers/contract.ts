import { readdirSync } from 'node:fs';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection, Tx } from '../database.ts';
import { newId } from '../ids.ts';
import { organizations } from '../schema/index.ts';
import { shardMigrations } from '../shard-set.ts';

const migrationFiles = readdirSync(shardMigrations).filter((f) => f.endsWith('.sql')).length;

/**
 * The transaction-local setting row-level security reads, made directly: the driver's transactions are under test
 * here, not the shard set's (whose tenant transactions also enter the organization's bucket).
 */
function asTenant<T>(connection: Connection, organizationId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  return connection.db.transaction(async (tx) => {
    await tx.execute(sql`SELECT set_config('app.organization_id', ${organizationId}, true)`);
    return work(tx as Tx);
  });
}

/** What every driver must do, run against each one: the Hono way of keeping adapters honest. */
export function describeDriverContract(name: string, open: () => Promise<Connection>, skip = false) {
  describe.skipIf(skip)(`${name} driver (contract)`, () => {
    let connection: Connection;
    beforeAll(async () => {
      connection = await open();
      await connection.migrate(shardMigrations);
    });
    afterAll(() => connection?.close());

    it('migrates idempotently and counts what it applied', async () => {
      await connection.migrate(shardMigrations);
      expect(await connection.appliedMigrations()).toBe(migrationFiles);
      await connection.ping();
    });

    it('runs as a role that row-level security binds', async () => {
      const [role] = await connection.db
        .execute<{ rolsuper: boolean; rolbypassrls: boolean }>(
          sql`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`,
        )
        .then((r) => (Array.isArray(r) ? r : (r as { rows: { rolsuper: boolean; rolbypassrls: boolean }[] }).rows));
      expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
    });

    it('scopes every transaction to one organization', async () => {
      const mine = newId();
      const theirs = newId();
      for (const id of [mine, theirs]) {
        await asTenant(connection, id, (tx) =>
          tx.insert(organizations).values({ id, name: `Org ${id}`, slug: `s-${id}`, homeRegion: 'us' }),
        );
      }
      const seen = await asTenant(connection, mine, (tx) => tx.select({ id: organizations.id }).from(organizations));
      expect(seen).toEqual([{ id: mine }]);
      const other = await asTenant(connection, mine, (tx) =>
        tx.select().from(organizations).where(eq(organizations.id, theirs)),
      );
      expect(other).toEqual([]);
      await expect(
        asTenant(connection, mine, (tx) =>
          tx.insert(organizations).values({ id: newId(), name: 'x', slug: `x-${newId()}`, homeRegion: 'us' }),
        ),
      ).rejects.toThrow();
    });

    it('reports pool figures', () => {
      const stats = connection.poolStats();
      expect(stats.total).toBeGreaterThanOrEqual(0);
      expect(stats.waiting).toBeGreaterThanOrEqual(0);
    });
  });
}
