import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { customFieldDefinitions } from '../../db/schema/index.ts';
import { notFound } from '../../openapi/errors.ts';

export async function lockCustomField(tx: Tx, organizationId: string, id: string) {
  const t = customFieldDefinitions;
  const [row] = await tx
    .select()
    .from(t)
    .where(and(eq(t.organizationId, organizationId), eq(t.id, id)))
    .for('update');
  if (!row) throw notFound('Custom field');
  return row;
}
