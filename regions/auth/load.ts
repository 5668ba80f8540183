import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { memberships, organizations, users } from '../../db/schema/index.ts';

/** The organization, a user and their role, read inside an RLS-scoped transaction. */
export async function loadAccount(tx: Tx, organizationId: string, userId: string) {
  const [organization] = await tx.select().from(organizations).where(eq(organizations.id, organizationId));
  const [row] = await tx
    .select({ user: users, role: memberships.role })
    .from(users)
    .innerJoin(memberships, and(eq(memberships.organizationId, users.organizationId), eq(memberships.userId, users.id)))
    .where(and(eq(users.organizationId, organizationId), eq(users.id, userId)));
  if (!organization || !row) return null;
  return { organization, user: row.user, role: row.role };
}
