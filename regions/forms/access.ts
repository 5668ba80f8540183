import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { forms } from '../../db/schema/index.ts';
import { notFound } from '../../openapi/errors.ts';

export type FormRow = typeof forms.$inferSelect;

/** The organization's form, or 404: another organization's id is as unknown as a made-up one. Locked for a change. */
export async function findForm(tx: Tx, organizationId: string, id: string, options: { lock?: boolean } = {}) {
  const query = tx
    .select()
    .from(forms)
    .where(and(eq(forms.organizationId, organizationId), eq(forms.id, id)));
  const [row] = options.lock ? await query.for('update') : await query;
  if (!row) throw notFound('Form');
  return row;
}
