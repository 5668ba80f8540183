import { asc, eq } from 'drizzle-orm';
import { forms } from '../../db/schema/index.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { findForm } from './access.ts';
import { formView } from './view.ts';

/** Every form of the organization, oldest first; every role may read them, as other settings. */
export async function listForms(ctx: RegionContext, { principal }: Actor) {
  assertCan(principal, 'forms:read');
  const { organizationId } = principal;
  const rows = await ctx.shards.withTenant(organizationId, (tx) =>
    tx.select().from(forms).where(eq(forms.organizationId, organizationId)).orderBy(asc(forms.id)),
  );
  return { data: rows.map((row) => formView(row, ctx.region)) };
}

export async function getForm(ctx: RegionContext, { principal }: Actor, id: string) {
  assertCan(principal, 'forms:read');
  const { organizationId } = principal;
  const row = await ctx.shards.withTenant(organizationId, (tx) => findForm(tx, organizationId, id));
  return formView(row, ctx.region);
}
