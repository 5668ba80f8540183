import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { companies } from '../../db/schema/index.ts';
import { ApiError } from '../../openapi/errors.ts';

/** The 409 for a domain another company of the organization already has, naming that company so a client can go to it. */
export async function domainTaken(tx: Tx, organizationId: string, domain: string): Promise<ApiError> {
  const [holder] = await tx
    .select({ id: companies.id })
    .from(companies)
    .where(and(eq(companies.organizationId, organizationId), eq(companies.domain, domain)));
  return domainTakenError(domain, holder?.id ?? 'another company');
}

/** The 409 naming the company that holds the domain (companies are shared, so every caller may know which). */
export function domainTakenError(domain: string, holderId: string): ApiError {
  return new ApiError(409, 'domain_taken', `Company ${holderId} already has the domain ${domain}`, [
    { path: 'domain', message: `Already the domain of company ${holderId}` },
  ]);
}

/** Whether an error (or the driver error a query error wraps) is PostgreSQL's unique_violation. */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}
