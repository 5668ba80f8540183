import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { imports } from '../../db/schema/index.ts';
import { notFound } from '../../openapi/errors.ts';

/** An import of the organization, optionally locked for change; 404 otherwise (RLS hides every other one). */
export async function findImport(tx: Tx, organizationId: string, id: string, lock = false) {
  const query = tx
    .select()
    .from(imports)
    .where(and(eq(imports.organizationId, organizationId), eq(imports.id, id)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound('Import');
  return row;
}
