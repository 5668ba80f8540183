import type { z } from '@hono/zod-openapi';
import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import { ssoConnections, ssoDomains } from '../../db/schema/index.ts';
import { badRequest, notFound } from '../../openapi/errors.ts';
import type { SsoConnectionInput, SsoConnectionPatch } from '../../openapi/schemas/sso.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';
import { lockTenantRow, updateTenantRow } from '../support/tenant-row.ts';
import {
  oidcRedirectUri,
  oidcSecretContext,
  samlAcsUrl,
  samlCertificateContext,
  samlMetadataUrl,
  samlSpEntityId,
} from './urls.ts';

type Row = typeof ssoConnections.$inferSelect;

/** A connection as admins see it: never the client secret or the certificate, only whether they are set. */
export function connectionView(row: Row, region: string) {
  return {
    id: row.id,
    protocol: row.protocol,
    name: row.name,
    enabled: row.enabled,
    defaultRole: row.defaultRole,
    jitProvisioning: row.jitProvisioning,
    oidc:
      row.protocol === 'oidc'
        ? {
            issuer: row.oidcIssuer ?? '',
            clientId: row.oidcClientId ?? '',
            clientSecretSet: Boolean(row.oidcClientSecretSealed),
            redirectUri: oidcRedirectUri(),
          }
        : null,
    saml:
      row.protocol === 'saml'
        ? {
            idpEntityId: row.samlIdpEntityId ?? '',
            idpSsoUrl: row.samlIdpSsoUrl ?? '',
            idpCertificateSet: Boolean(row.samlIdpCertificateSealed),
            spEntityId: samlSpEntityId(row.id),
            acsUrl: samlAcsUrl(),
            metadataUrl: samlMetadataUrl(region, row.organizationId, row.id),
          }
        : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function findConnection(tx: Tx, organizationId: string, id: string) {
  const [row] = await tx
    .select()
    .from(ssoConnections)
    .where(and(eq(ssoConnections.organizationId, organizationId), eq(ssoConnections.id, id)));
  return row ?? null;
}

/** What an audit row may say about a change: which settings, never a secret's value. */
const changedKeys = (patch: Record<string, unknown>) =>
  Object.entries(patch).flatMap(([key, value]) =>
    value && typeof value === 'object' ? Object.keys(value).map((inner) => `${key}.${inner}`) : [key],
  );

export async function listConnections(ctx: RegionContext, { principal }: Actor) {
  assertCan(principal, 'settings:manage');
  const { organizationId } = principal;
  const rows = await ctx.shards.withTenant(organizationId, (tx) =>
    tx
      .select()
      .from(ssoConnections)
      .where(eq(ssoConnections.organizationId, organizationId))
      .orderBy(asc(ssoConnections.createdAt)),
  );
  return { data: rows.map((row) => connectionView(row, ctx.region)) };
}

export async function getConnection(ctx: RegionContext, { principal }: Actor, id: string) {
  assertCan(principal, 'settings:manage');
  const row = await ctx.shards.withTenant(principal.organizationId, (tx) =>
    findConnection(tx, principal.organizationId, id),
  );
  if (!row) throw notFound('SSO connection');
  return connectionView(row, ctx.region);
}

export async function createConnection(ctx: RegionContext, actor: Actor, input: z.infer<typeof SsoConnectionInput>) {
  const { principal } = actor;
  assertCan(principal, 'settings:manage');
  const { organizationId } = principal;
  const id = newId();
  const base = {
    organizationId,
    id,
    protocol: input.protocol,
    name: input.name,
    enabled: input.enabled ?? true,
    defaultRole: input.defaultRole ?? 'sales_rep',
    jitProvisioning: input.jitProvisioning ?? true,
  } as const;
  const values =
    input.protocol === 'oidc'
      ? {
          ...base,
          oidcIssuer: input.oidc.issuer,
          oidcClientId: input.oidc.clientId,
          oidcClientSecretSealed: await ctx.secrets.seal(input.oidc.clientSecret, oidcSecretContext(id)),
        }
      : {
          ...base,
          samlIdpEntityId: input.saml.idpEntityId,
          samlIdpSsoUrl: input.saml.idpSsoUrl,
          samlIdpCertificateSealed: await ctx.secrets.seal(input.saml.idpCertificate, samlCertificateContext(id)),
        };
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const [row] = await tx.insert(ssoConnections).values(values).returning();
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'sso.connection_created',
      target: { type: 'sso_connection', id },
      changes: { protocol: input.protocol, name: input.name, defaultRole: values.defaultRole },
    });
    return connectionView(row!, ctx.region);
  });
}

export async function updateConnection(
  ctx: RegionContext,
  actor: Actor,
  id: string,
  patch: z.infer<typeof SsoConnectionPatch>,
) {
  const { principal } = actor;
  assertCan(principal, 'settings:manage');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const row = await lockTenantRow(tx, ssoConnections, organizationId, id, 'SSO connection');
    if ((patch.oidc && row.protocol !== 'oidc') || (patch.saml && row.protocol !== 'saml')) {
      const wrong = patch.oidc ? 'oidc' : 'saml';
      throw badRequest('validation_failed', `This is a ${row.protocol} connection`, [
        { path: wrong, message: `Only a ${wrong} connection has these settings` },
      ]);
    }
    const set: Partial<typeof ssoConnections.$inferInsert> = {};
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.enabled !== undefined) set.enabled = patch.enabled;
    if (patch.defaultRole !== undefined) set.defaultRole = patch.defaultRole;
    if (patch.jitProvisioning !== undefined) set.jitProvisioning = patch.jitProvisioning;
    if (patch.oidc?.issuer !== undefined) set.oidcIssuer = patch.oidc.issuer;
    if (patch.oidc?.clientId !== undefined) set.oidcClientId = patch.oidc.clientId;
    if (patch.oidc?.clientSecret !== undefined) {
      set.oidcClientSecretSealed = await ctx.secrets.seal(patch.oidc.clientSecret, oidcSecretContext(id));
    }
    if (patch.saml?.idpEntityId !== undefined) set.samlIdpEntityId = patch.saml.idpEntityId;
    if (patch.saml?.idpSsoUrl !== undefined) set.samlIdpSsoUrl = patch.saml.idpSsoUrl;
    if (patch.saml?.idpCertificate !== undefined) {
      set.samlIdpCertificateSealed = await ctx.secrets.seal(patch.saml.idpCertificate, samlCertificateContext(id));
    }
    const updated = await updateTenantRow(tx, ssoConnections, organizationId, id, set);
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'sso.connection_updated',
      target: { type: 'sso_connection', id },
      changes: { fields: changedKeys(patch) },
    });
    return connectionView(updated!, ctx.region);
  });
}

export async function deleteConnection(ctx: RegionContext, actor: Actor, id: string) {
  const { principal } = actor;
  assertCan(principal, 'settings:manage');
  const { organizationId } = principal;
  await ctx.shards.withTenant(organizationId, async (tx) => {
    const [row] = await tx
      .delete(ssoConnections)
      .where(and(eq(ssoConnections.organizationId, organizationId), eq(ssoConnections.id, id)))
      .returning({ id: ssoConnections.id, protocol: ssoConnections.protocol });
    if (!row) throw notFound('SSO connection');
    // Domains that used it fall back to the organization's other enabled connection, if any (see start.ts).
    await tx
      .update(ssoDomains)
      .set({ connectionId: null, updatedAt: new Date() })
      .where(and(eq(ssoDomains.organizationId, organizationId), eq(ssoDomains.connectionId, id)));
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'sso.connection_deleted',
      target: { type: 'sso_connection', id },
      changes: { protocol: row.protocol },
    });
  });
}
