import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { companies } from '../../db/schema/index.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { forbidden, notFound } from '../../openapi/errors.ts';
import { ownRecordsOnly } from '../auth/permissions.ts';

type CompanyRow = typeof companies.$inferSelect;

/** Companies are shared reference data: anyone who may read them sees every company of the organization. */
export async function findCompany(tx: Tx, organizationId: string, id: string, lock = false): Promise<CompanyRow> {
  const query = tx
    .select()
    .from(companies)
    .where(and(eq(companies.organizationId, organizationId), eq(companies.id, id)));
  const [company] = lock ? await query.for('update') : await query;
  if (!company) throw notFound('Company');
  return company;
}

/**
 * A sales rep may change only the companies they own. They can see the others, so the refusal is an honest 403,
 * not the 404 that hides records a caller may not see.
 */
export function assertMayChange(principal: Principal, company: CompanyRow): void {
  const own = ownRecordsOnly(principal);
  if (own && company.ownerId !== own) throw forbidden('Sales reps may change only the companies they own');
}
