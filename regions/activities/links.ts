import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { companies, contacts, deals, leads } from '../../db/schema/index.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { badRequest } from '../../openapi/errors.ts';
import type { linkFields } from '../../openapi/schemas/activities.ts';
import { can } from '../auth/permissions.ts';
import { visibleTo } from '../support/owner.ts';

type LinkField = (typeof linkFields)[number];
export type Links = Partial<Record<LinkField, string | null>>;

const linked = {
  leadId: { table: leads, thing: 'lead', permission: 'leads:read', owned: true },
  contactId: { table: contacts, thing: 'contact', permission: 'contacts:read', owned: true },
  // Companies are shared: every member sees every company, so a sales rep may link any of them.
  companyId: { table: companies, thing: 'company', permission: 'companies:read', owned: false },
  dealId: { table: deals, thing: 'deal', permission: 'deals:read', owned: true },
} as const;

/**
 * Refuses a link to anything but a record of the caller's own organization that the caller may see, with the same
 * answer whether it exists elsewhere, belongs to a colleague, or does not exist at all (400 unknown_<thing>).
 */
export async function checkLinks(tx: Tx, principal: Principal, links: Links): Promise<void> {
  for (const field of Object.keys(linked) as LinkField[]) {
    const id = links[field];
    if (!id) continue;
    const { table, thing, permission, owned } = linked[field];
    const [row] = await tx
      .select({ ownerId: table.ownerId })
      .from(table)
      .where(and(eq(table.organizationId, principal.organizationId), eq(table.id, id)));
    const visible = row && can(principal, permission) && (!owned || visibleTo(principal, row.ownerId));
    if (!visible) {
      throw badRequest(`unknown_${thing}`, `${field} is not a ${thing} you can see in this organization`, [
        { path: field, message: `No such ${thing} visible to you` },
      ]);
    }
  }
}
