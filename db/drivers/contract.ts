import { readdirSync } from 'node:fs';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../database.ts';
import { newId } from '../ids.ts';
import { organizations } from '../schema/index.ts';
import { shardMigrations } from '../shard-set.ts';
import { withTenant } from '../tenant.ts';

const migrationFiles = readdirSync(shardMigrations).filter((f) => f.endsWith('.sql')).length;

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
        await withTenant(connection.db, id, (tx) =>
          tx.insert(organizations).values({ id, name: `Org ${id}`, slug: `s-${id}`, homeRegion: 'us' }),
        );
      }
      const seen = await withTenant(connection.db, mine, (tx) =>
        tx.select({ id: organizations.id }).from(organizations),
      );
      expect(seen).toEqual([{ id: mine }]);
      const other = await withTenant(connection.db, mine, (tx) =>
        tx.select().from(organizations).where(eq(organizations.id, theirs)),
      );
      expect(other).toEqual([]);
      await expect(
        withTenant(connection.db, mine, (tx) =>
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
