import type { z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { savedViews } from '../../db/schema/index.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { forbidden, notFound } from '../../openapi/errors.ts';
import type { Permission } from '../../openapi/schemas/permissions.ts';
import type { SavedViewEntitySchema } from '../../openapi/schemas/saved-views.ts';
import { assertCan } from '../auth/permissions.ts';
import { actorId } from '../support/actor.ts';

const readPermission: Record<z.infer<typeof SavedViewEntitySchema>, Permission> = {
  lead: 'leads:read',
  contact: 'contacts:read',
  company: 'companies:read',
  deal: 'deals:read',
  activity: 'activities:read',
};

/** A view is only worth keeping for a list the caller may read. */
export const assertMayUse = (principal: Principal, entity: z.infer<typeof SavedViewEntitySchema>) =>
  assertCan(principal, readPermission[entity]);

/** The view if the caller owns it or it is shared; another member's private view answers 404. */
export async function findVisibleView(tx: Tx, principal: Principal, id: string, lock = false) {
  const t = savedViews;
  const query = tx
    .select()
    .from(t)
    .where(and(eq(t.organizationId, principal.organizationId), eq(t.id, id)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row || (row.ownerId !== actorId(principal) && !row.shared)) throw notFound('Saved view');
  return row;
}

/** Only the owner changes a view; a shared one is read-only to everyone else. */
export async function lockOwnView(tx: Tx, principal: Principal, id: string) {
  const row = await findVisibleView(tx, principal, id, true);
  if (row.ownerId !== actorId(principal)) throw forbidden('Only the owner of a saved view can change it');
  return row;
}
