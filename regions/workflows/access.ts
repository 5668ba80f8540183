import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { workflows } from '../../db/schema/index.ts';
import { notFound } from '../../openapi/errors.ts';

/** The workflow, or 404; other organizations' never match (RLS, and the key). Locked for a change. */
export async function findWorkflow(tx: Tx, organizationId: string, id: string, options: { lock?: boolean } = {}) {
  const query = tx
    .select()
    .from(workflows)
    .where(and(eq(workflows.organizationId, organizationId), eq(workflows.id, id)));
  const [row] = options.lock ? await query.for('update') : await query;
  if (!row) throw notFound('Workflow');
  return row;
}
