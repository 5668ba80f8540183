import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../test/support/api.ts';
import { adminUrl, realPostgres } from '../test/support/databases.ts';
import { startTestStack, type TestStack } from '../test/support/stack.ts';
import type { Connection, Tx } from './database.ts';
import { openConnection } from './drivers/open.ts';
import { APP_ROLE } from './drivers/pglite.ts';
import { newId } from './ids.ts';
import { apiKeys, auditLog, leads, memberships, outbox, users } from './schema/index.ts';
import { shardMigrations } from './shard-set.ts';

type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;

let stack: TestStack;
let orgA: Session;
let orgB: Session;
let shardA: Connection;

/** The tenant tables a request can reach; each must hide A's rows from any other scope. */
const tenantTables = { leads, users, memberships, api_keys: apiKeys, outbox, audit_log: auditLog } as const;
type TenantTable = (typeof tenantTables)[keyof typeof tenantTables];

/**
 * The scopes that are not A: another organization, no setting at all, an empty one, and text that is not a UUID
 * (or tries to be SQL). A garbage setting makes the policy's cast fail, which refuses the statement outright.
 */
const otherScopes = (): { name: string; scope: string | null }[] => [
  { name: 'organization B', scope: orgB.organization.id },
  { name: 'unset', scope: null },
  { name: 'empty', scope: '' },
  { name: 'garbage', scope: 'not-a-uuid' },
  { name: 'injection', scope: `${orgA.organization.id}' OR true --` },
  { name: 'nil uuid', scope: '00000000-0000-0000-0000-000000000000' },
];

/** A transaction scoped the way the application scopes one, except that the caller picks the setting. */
function scoped<T>(scope: string | null, work: (tx: Tx) => Promise<T>): Promise<T> {
  return shardA.db.transaction(async (tx) => {
    if (scope !== null) await tx.execute(sql`SELECT set_config('app.organization_id', ${scope}, true)`);
    return work(tx as Tx);
  });
}

/** Rows of A a scope can see; a statement the policy refuses (a garbage setting) sees none. */
async function visibleRowsOfA(scope: string | null, table: TenantTable): Promise<number> {
  try {
    const [row] = await scoped(scope, (tx) =>
      tx.select({ n: count() }).from(table).where(eq(table.organizationId, orgA.organization.id)),
    );
    return row!.n;
  } catch {
    return 0;
  }
}

async function rowsOfA(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [name, table] of Object.entries(tenantTables)) {
    counts[name] = await scoped(orgA.organization.id, async (tx) => {
      const [row] = await tx.select({ n: count() }).from(table);
      return row!.n;
    });
  }
  return counts;
}

/** Runs a write and reports how many rows it touched, or that the database refused it. */
async function attempt(scope: string | null, write: (tx: Tx) => Promise<unknown[]>): Promise<number | 'refused'> {
  try {
    return (await scoped(scope, write)).length;
  } catch {
    return 'refused';
  }
}

beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'] });
  const api = apiClient(stack.edgeUrl);
  [orgA, orgB] = await Promise.all([api.signup('rls-a'), api.signup('rls-b')]);
  // Every table gets rows of A: a lead, a colleague (user + membership), an API key; audit and outbox follow.
  const lead = await api.call('POST', '/api/v1/leads', { token: orgA.token, body: { firstName: 'Rls' } });
  expect(lead.status).toBe(201);
  await api.member(orgA.token, 'viewer', 'rls-viewer');
  const key = await api.call('POST', '/api/v1/api-keys', {
    token: orgA.token,
    body: { name: 'rls', scopes: ['leads:read'] },
  });
  expect(key.status).toBe(201);
  shardA = stack.regions.us!.ctx.shards.forOrganization(orgA.organization.id);
});
afterAll(() => stack?.stop());

describe('row-level security on a shard', () => {
  it("shows A's own scope every table's rows (so the checks below are not vacuous)", async () => {
    const counts = await rowsOfA();
    for (const [name, n] of Object.entries(counts)) expect(n, name).toBeGreaterThan(0);
    expect(counts.users).toBe(2);
    for (const [name, table] of Object.entries(tenantTables)) {
      expect(await visibleRowsOfA(orgA.organization.id, table), name).toBe(counts[name]);
    }
  });

  it("hides every row of A from every other scope, even when the query names A's id", async () => {
    for (const { name, scope } of otherScopes()) {
      for (const [tableName, table] of Object.entries(tenantTables)) {
        expect(await visibleRowsOfA(scope, table), `${name} / ${tableName}`).toBe(0);
      }
    }
  });

  it("lets no other scope update or delete A's rows", async () => {
    const before = await rowsOfA();
    const a = orgA.organization.id;
    const writes: Record<string, (tx: Tx) => Promise<unknown[]>> = {
      'update leads': (tx) =>
        tx.update(leads).set({ firstName: 'Pwned' }).where(eq(leads.organizationId, a)).returning({ id: leads.id }),
      'update users': (tx) =>
        tx.update(users).set({ name: 'Pwned' }).where(eq(users.organizationId, a)).returning({ id: users.id }),
      'update memberships': (tx) =>
        tx
          .update(memberships)
          .set({ role: 'viewer' })
          .where(eq(memberships.organizationId, a))
          .returning({ id: memberships.userId }),
      'update api_keys': (tx) =>
        tx
          .update(apiKeys)
          .set({ scopes: ['api_keys:manage'] })
          .where(eq(apiKeys.organizationId, a))
          .returning({ id: apiKeys.id }),
      'update outbox': (tx) =>
        tx
          .update(outbox)
          .set({ publishedAt: new Date() })
          .where(eq(outbox.organizationId, a))
          .returning({ id: outbox.id }),
      'update audit_log': (tx) =>
        tx
          .update(auditLog)
          .set({ action: 'tampered' })
          .where(eq(auditLog.organizationId, a))
          .returning({ id: auditLog.id }),
      'delete leads': (tx) => tx.delete(leads).where(eq(leads.organizationId, a)).returning({ id: leads.id }),
      'delete users': (tx) => tx.delete(users).where(eq(users.organizationId, a)).returning({ id: users.id }),
      'delete memberships': (tx) =>
        tx.delete(memberships).where(eq(memberships.organizationId, a)).returning({ id: memberships.userId }),
      'delete api_keys': (tx) => tx.delete(apiKeys).where(eq(apiKeys.organizationId, a)).returning({ id: apiKeys.id }),
      'delete outbox': (tx) => tx.delete(outbox).where(eq(outbox.organizationId, a)).returning({ id: outbox.id }),
      'delete audit_log': (tx) =>
        tx.delete(auditLog).where(eq(auditLog.organizationId, a)).returning({ id: auditLog.id }),
    };
    const rollback = new Error('rollback');
    for (const [what, write] of Object.entries(writes)) {
      const own = scoped(a, async (tx) => {
        expect((await write(tx)).length, what).toBeGreaterThan(0);
        throw rollback;
      });
      await expect(own).rejects.toBe(rollback);
    }
    for (const { name, scope } of otherScopes()) {
      for (const [what, write] of Object.entries(writes)) {
        expect([0, 'refused'], `${name}: ${what}`).toContain(await attempt(scope, write));
      }
    }
    expect(await rowsOfA()).toEqual(before);
    const [membership] = await scoped(orgA.organization.id, (tx) =>
      tx.select().from(memberships).where(eq(memberships.userId, orgA.user.id)),
    );
    expect(membership?.role).toBe('admin');
  });

  it("refuses to insert a row carrying A's organization_id from any other scope (WITH CHECK)", async () => {
    const before = await rowsOfA();
    const a = orgA.organization.id;
    const inserts: Record<string, (tx: Tx) => Promise<unknown[]>> = {
      leads: (tx) =>
        tx.insert(leads).values({ organizationId: a, id: newId(), firstName: 'Planted' }).returning({ id: leads.id }),
      users: (tx) =>
        tx
          .insert(users)
          .values({ organizationId: a, id: newId(), email: `${newId()}@planted.example` })
          .returning({ id: users.id }),
      memberships: (tx) =>
        tx
          .insert(memberships)
          .values({ organizationId: a, userId: newId(), role: 'admin' })
          .returning({ id: memberships.userId }),
      api_keys: (tx) =>
        tx
          .insert(apiKeys)
          .values({ organizationId: a, id: newId(), name: 'planted', prefix: 'ck_us_x', keyHash: newId(), scopes: [] })
          .returning({ id: apiKeys.id }),
      outbox: (tx) =>
        tx
          .insert(outbox)
          .values({
            organizationId: a,
            id: newId(),
            aggregateType: 'lead',
            aggregateId: newId(),
            eventType: 'x',
            payload: {},
          })
          .returning({ id: outbox.id }),
      audit_log: (tx) =>
        tx
          .insert(auditLog)
          .values({ organizationId: a, id: newId(), actorType: 'system', action: 'planted', targetType: 'lead' })
          .returning({ id: auditLog.id }),
    };
    // The same statements pass in A's own scope (rolled back), so a refusal below is the policy's doing.
    const rollback = new Error('rollback');
    for (const [table, insert] of Object.entries(inserts)) {
      const own = scoped(orgA.organization.id, async (tx) => {
        expect(await insert(tx), table).toHaveLength(1);
        throw rollback;
      });
      await expect(own).rejects.toBe(rollback);
    }
    for (const { name, scope } of otherScopes()) {
      for (const [table, insert] of Object.entries(inserts)) {
        expect(await attempt(scope, insert), `${name}: insert into ${table}`).toBe('refused');
      }
    }
    expect(await rowsOfA()).toEqual(before);
  });

  it("refuses to move B's own row into A (WITH CHECK on UPDATE)", async () => {
    const b = orgB.organization.id;
    const shardB = stack.regions.us!.ctx.shards.forOrganization(b);
    const id = newId();
    await stack.regions.us!.ctx.shards.withTenant(b, (tx) =>
      tx.insert(leads).values({ organizationId: b, id, firstName: 'Mover' }),
    );
    const moved = await shardB.db
      .transaction(async (tx) => {
        await tx.execute(sql`SELECT set_config('app.organization_id', ${b}, true)`);
        return tx.update(leads).set({ organizationId: orgA.organization.id }).where(eq(leads.id, id)).returning();
      })
      .then(
        () => 'moved',
        () => 'refused',
      );
    expect(moved).toBe('refused');
    const [row] = await stack.regions.us!.ctx.shards.withTenant(b, (tx) =>
      tx.select().from(leads).where(eq(leads.id, id)),
    );
    expect(row?.organizationId).toBe(b);
  });

  it('drops the scope when the transaction ends, so a pooled connection does not carry it on', async () => {
    await stack.regions.us!.ctx.shards.withTenant(orgA.organization.id, async () => {});
    const [row] = await shardA.db.select({ n: count() }).from(leads);
    expect(row!.n).toBe(0);
  });
});

describe('the database role the application connects as', () => {
  type RoleRow = { current_user: string; rolsuper: boolean; rolbypassrls: boolean };
  const roleOf = async (connection: Connection): Promise<RoleRow> => {
    const result = await connection.db.execute(
      sql`SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`,
    );
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as RoleRow[];
    expect(rows).toHaveLength(1);
    return rows[0]!;
  };

  it('is neither a superuser nor BYPASSRLS, on every shard', async () => {
    for (const shard of stack.regions.us!.ctx.shards.all()) {
      const role = await roleOf(shard);
      expect(role, shard.id).toMatchObject({ rolsuper: false, rolbypassrls: false });
      const expected = realPostgres ? new URL(process.env.TEST_PG_URL!).username : APP_ROLE;
      expect(role.current_user, shard.id).toBe(expected);
    }
  });

  it.runIf(Boolean(process.env.TEST_PG_ADMIN_URL))('refuses to migrate a shard as a superuser', async () => {
    const connection = await openConnection('superuser-shard', adminUrl('crm_test_us_0')!);
    try {
      await expect(connection.migrate(shardMigrations)).rejects.toThrow(/row-level security/);
    } finally {
      await connection.close();
    }
  });
});
