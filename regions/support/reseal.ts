import { and, eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Tx } from '../../db/database.ts';
import { tenantPlacements, userMfa, webhookSubscriptions } from '../../db/schema/index.ts';
import type { ShardSet } from '../../db/shard-set.ts';
import { totpContext } from '../mfa/factors.ts';
import { webhookSecretContext } from '../webhooks/secrets.ts';
import { isSealed, type SecretBox } from './secret-box.ts';

export type ResealResult = { organizations: number; webhookSecrets: number; totpSecrets: number; failures: number };

/**
 * Re-seals every secret kept at rest on this region's shards that is not sealed with the box's current key: plain
 * values from before sealing existed, and values sealed with an older key. Once it has run everywhere with no
 * failures, the older key can be dropped from `SECRETS_KEYS`. Each organization is one RLS transaction; a value is
 * rewritten only if it is still the one read (a concurrent rotation by an admin wins), so it is safe while serving.
 */
export async function resealSecrets(deps: {
  region: string;
  shards: ShardSet;
  secrets: SecretBox;
  log?: Logger;
  /** Only these organizations (a test sharing its databases with others); every one placed in the region if absent. */
  organizationIds?: readonly string[];
}) {
  const { shards, secrets } = deps;
  const organizationIds = new Set<string>(deps.organizationIds);
  for (const shard of deps.organizationIds ? [] : shards.all()) {
    const placed = await shard.db
      .select({ id: tenantPlacements.organizationId })
      .from(tenantPlacements)
      .where(eq(tenantPlacements.region, deps.region));
    for (const p of placed) organizationIds.add(p.id);
  }
  const result: ResealResult = { organizations: organizationIds.size, webhookSecrets: 0, totpSecrets: 0, failures: 0 };
  const needsSealing = (value: string) => !isSealed(value) || secrets.isStale(value);
  /** The value sealed anew, or null when no configured key opens it (its key dropped too early, or a moved value). */
  const reseal = async (value: string, context: string): Promise<string | null> => {
    try {
      return await secrets.seal(isSealed(value) ? await secrets.open(value, context) : value, context);
    } catch (err) {
      result.failures++;
      deps.log?.error({ err, context }, 'a sealed secret does not open with any configured key');
      return null;
    }
  };

  for (const organizationId of organizationIds) {
    try {
      const counts = await shards.withTenant(organizationId, (tx) =>
        resealOrganization(tx, organizationId, needsSealing, reseal),
      );
      result.webhookSecrets += counts.webhookSecrets;
      result.totpSecrets += counts.totpSecrets;
    } catch (err) {
      result.failures++;
      deps.log?.error({ err, organizationId }, 'could not re-seal an organization’s secrets');
    }
  }
  return result;
}

async function resealOrganization(
  tx: Tx,
  organizationId: string,
  needsSealing: (value: string) => boolean,
  reseal: (value: string, context: string) => Promise<string | null>,
) {
  let webhookSecrets = 0;
  const subscriptions = await tx
    .select({ id: webhookSubscriptions.id, secret: webhookSubscriptions.secret })
    .from(webhookSubscriptions)
    .where(eq(webhookSubscriptions.organizationId, organizationId));
  for (const { id, secret } of subscriptions) {
    if (!needsSealing(secret)) continue;
    const sealed = await reseal(secret, webhookSecretContext(id));
    if (!sealed) continue;
    const changed = await tx
      .update(webhookSubscriptions)
      .set({ secret: sealed })
      .where(
        and(
          eq(webhookSubscriptions.organizationId, organizationId),
          eq(webhookSubscriptions.id, id),
          eq(webhookSubscriptions.secret, secret),
        ),
      )
      .returning({ id: webhookSubscriptions.id });
    webhookSecrets += changed.length;
  }
  let totpSecrets = 0;
  const authenticators = await tx
    .select({ userId: userMfa.userId, secret: userMfa.secretSealed })
    .from(userMfa)
    .where(eq(userMfa.organizationId, organizationId));
  for (const { userId, secret } of authenticators) {
    if (!needsSealing(secret)) continue;
    const sealed = await reseal(secret, totpContext(userId));
    if (!sealed) continue;
    const changed = await tx
      .update(userMfa)
      .set({ secretSealed: sealed })
      .where(
        and(eq(userMfa.organizationId, organizationId), eq(userMfa.userId, userId), eq(userMfa.secretSealed, secret)),
      )
      .returning({ userId: userMfa.userId });
    totpSecrets += changed.length;
  }
  return { webhookSecrets, totpSecrets };
}
