import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { contacts, leads } from '../../db/schema/index.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { notFound } from '../../openapi/errors.ts';
import { visibleTo } from '../support/owner.ts';
import { type PersonType, personIds } from './people.ts';

/** The person's record ids if the principal may see the record asked for; otherwise 404 (never 403). */
export async function visiblePerson(tx: Tx, principal: Principal, type: PersonType, id: string) {
  const { organizationId } = principal;
  const table = type === 'lead' ? leads : contacts;
  const [record] = await tx
    .select({ ownerId: table.ownerId })
    .from(table)
    .where(and(eq(table.organizationId, organizationId), eq(table.id, id)))
    .for('update');
  const ids = record && visibleTo(principal, record.ownerId) ? await personIds(tx, organizationId, type, id) : null;
  if (!ids) throw notFound(type === 'lead' ? 'Lead' : 'Contact');
  return ids;
}
