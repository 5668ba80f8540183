import type { z } from '@hono/zod-openapi';
import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import { ssoDomains } from '../../db/schema/index.ts';
import { randomHex } from '../../edge/protocol/encoding.ts';
import { ApiError, badRequest, conflict, notFound } from '../../openapi/errors.ts';
import type { SsoDomainInput, SsoDomainPatch, SsoDomainVerifyInput } from '../../openapi/schemas/sso.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';
import { lockTenantRow, updateTenantRow } from '../support/tenant-row.ts';
import { findConnection } from './connections.ts';
import { lookupTxt } from './dns-txt.ts';
import { normaliseDomain } from './domain-name.ts';

type Row = typeof ssoDomains.$inferSelect;

/** The TXT record that proves a domain: `_crm-verification.<domain>` = `crm-verification=<token>`. */
export const dnsRecordOf = (row: Pick<Row, 'domain' | 'verificationToken'>) => ({
  type: 'TXT' as const,
  name: `_crm-verification.${row.domain}`,
  value: `crm-verification=${row.verificationToken}`,
});

export function domainView(row: Row) {
  return {
    id: row.id,
    domain: row.domain,
    verificationMethod: row.verificationMethod,
    verificationToken: row.verificationToken,
    dnsRecord: dnsRecordOf(row),
    verified: row.verifiedAt !== null,
    verifiedAt: row.verifiedAt?.toISOString() ?? null,
    requireSso: row.requireSso,
    connectionId: row.connectionId,
    createdAt: row.createdAt.toISOString(),
  };
}

const domainTaken = () => conflict('domain_taken', 'Another organization has already verified this domain');

const lockDomain = (tx: Tx, organizationId: string, id: string) =>
  lockTenantRow(tx, ssoDomains, organizationId, id, 'Domain');

async function assertConnection(tx: Tx, organizationId: string, connectionId: string | null | undefined) {
  if (connectionId && !(await findConnection(tx, organizationId, connectionId))) {
    throw badRequest('validation_failed', 'No such SSO connection', [
      { path: 'connectionId', message: 'Not one of this organization’s SSO connections' },
    ]);
  }
}

/**
 * The domain's TXT record must carry its token. A DNS server that does not answer (in a few seconds) is a 409 of its
 * own, which the admin retries: the domain stays unverified, never a 500 or a hung request.
 */
async function assertTxtRecord(record: ReturnType<typeof dnsRecordOf>) {
  const answer = await lookupTxt(record.name);
  if (answer.kind === 'unanswered') {
    throw new ApiError(
      409,
      'dns_lookup_failed',
      `DNS did not answer for ${record.name} (${answer.code}); the domain stays unverified, try again in a moment`,
    );
  }
  if (answer.kind === 'none' || !answer.records.includes(record.value)) {
    throw new ApiError(409, 'domain_not_verified', `No TXT record ${record.name} with "${record.value}" was found`);
  }
}

export async function listDomains(ctx: RegionContext, { principal }: Actor) {
  assertCan(principal, 'settings:manage');
  const { organizationId } = principal;
  const rows = await ctx.shards.withTenant(organizationId, (tx) =>
    tx.select().from(ssoDomains).where(eq(ssoDomains.organizationId, organizationId)).orderBy(asc(ssoDomains.domain)),
  );
  return { data: rows.map(domainView) };
}

export async function addDomain(ctx: RegionContext, actor: Actor, input: z.infer<typeof SsoDomainInput>) {
  const { principal } = actor;
  assertCan(principal, 'settings:manage');
  const { organizationId } = principal;
  const domain = normaliseDomain(input.domain);
  if (!domain) {
    throw badRequest('validation_failed', 'Not a domain name', [
      { path: 'domain', message: 'A domain such as analytical.example' },
    ]);
  }
  const existing = await ctx.directory.findSsoDomain(domain);
  if (existing && existing.organizationId !== organizationId) throw domainTaken();
  return ctx.shards.withTenant(organizationId, async (tx) => {
    await assertConnection(tx, organizationId, input.connectionId);
    const id = newId();
    const [row] = await tx
      .insert(ssoDomains)
      .values({
        organizationId,
        id,
        domain,
        verificationMethod: input.verificationMethod,
        verificationToken: randomHex(16),
        connectionId: input.connectionId ?? null,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw conflict('domain_exists', 'This domain is already listed');
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'sso.domain_added',
      target: { type: 'sso_domain', id },
      changes: { domain, verificationMethod: input.verificationMethod },
    });
    return domainView(row);
  });
}

/**
 * Verifies a domain: its TXT record must carry the token (`dns_txt`), or the admin confirms (`admin`). A verified
 * domain is registered in the global directory first, where one organization only may hold it.
 */
export async function verifyDomain(
  ctx: RegionContext,
  actor: Actor,
  id: string,
  input: z.infer<typeof SsoDomainVerifyInput>,
) {
  const { principal } = actor;
  assertCan(principal, 'settings:manage');
  const { organizationId } = principal;
  const row = await ctx.shards.withTenant(organizationId, (tx) => lockDomain(tx, organizationId, id));
  if (row.verificationMethod === 'admin' && input.confirm !== true) {
    throw badRequest('validation_failed', 'Confirm that the organization owns this domain', [
      { path: 'confirm', message: 'Send "confirm": true' },
    ]);
  }
  if (row.verificationMethod === 'dns_txt') await assertTxtRecord(dnsRecordOf(row));
  const claimed = await ctx.directory.claimSsoDomain({
    domain: row.domain,
    organizationId,
    region: ctx.region,
    requireSso: row.requireSso,
  });
  if (!claimed) throw domainTaken();
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const now = new Date();
    const updated = await updateTenantRow(tx, ssoDomains, organizationId, id, {
      verifiedAt: row.verifiedAt ?? now,
      updatedAt: now,
    });
    if (!updated) throw notFound('Domain');
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'sso.domain_verified',
      target: { type: 'sso_domain', id },
      changes: { domain: row.domain, method: row.verificationMethod },
    });
    return domainView(updated);
  });
}

export async function updateDomain(
  ctx: RegionContext,
  actor: Actor,
  id: string,
  patch: z.infer<typeof SsoDomainPatch>,
) {
  const { principal } = actor;
  assertCan(principal, 'settings:manage');
  const { organizationId } = principal;
  const updated = await ctx.shards.withTenant(organizationId, async (tx) => {
    const row = await lockDomain(tx, organizationId, id);
    if (patch.requireSso && !row.verifiedAt) {
      throw conflict('domain_not_verified', 'Verify the domain before requiring SSO for it');
    }
    await assertConnection(tx, organizationId, patch.connectionId);
    const next = await updateTenantRow(tx, ssoDomains, organizationId, id, {
      ...(patch.requireSso !== undefined ? { requireSso: patch.requireSso } : {}),
      ...(patch.connectionId !== undefined ? { connectionId: patch.connectionId } : {}),
    });
    const changes: Record<string, unknown> = {};
    if (patch.requireSso !== undefined && patch.requireSso !== row.requireSso) {
      changes.requireSso = [row.requireSso, patch.requireSso];
    }
    if (patch.connectionId !== undefined && patch.connectionId !== row.connectionId) {
      changes.connectionId = [row.connectionId, patch.connectionId];
    }
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'sso.domain_updated',
      target: { type: 'sso_domain', id },
      changes: { domain: row.domain, ...changes },
    });
    return next!;
  });
  // The directory answers password sign-ins of the domain (regions/auth/login.ts), so it follows the flag.
  if (updated.verifiedAt) {
    await ctx.directory.claimSsoDomain({
      domain: updated.domain,
      organizationId,
      region: ctx.region,
      requireSso: updated.requireSso,
    });
  }
  return domainView(updated);
}

export async function removeDomain(ctx: RegionContext, actor: Actor, id: string) {
  const { principal } = actor;
  assertCan(principal, 'settings:manage');
  const { organizationId } = principal;
  const removed = await ctx.shards.withTenant(organizationId, async (tx) => {
    const [row] = await tx
      .delete(ssoDomains)
      .where(and(eq(ssoDomains.organizationId, organizationId), eq(ssoDomains.id, id)))
      .returning();
    if (!row) throw notFound('Domain');
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'sso.domain_removed',
      target: { type: 'sso_domain', id },
      changes: { domain: row.domain },
    });
    return row;
  });
  await ctx.directory.releaseSsoDomain({ domain: removed.domain, organizationId });
}
