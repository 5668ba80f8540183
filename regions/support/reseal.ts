import { and, eq, isNull } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Tx } from '../../db/database.ts';
import { userMfa, webhookSubscriptions, workflowRuns, workflows } from '../../db/schema/index.ts';
import type { ShardSet } from '../../db/shard-set.ts';
import { totpContext } from '../mfa/factors.ts';
import { resealSsoSecrets } from '../sso/reseal.ts';
import { webhookSecretContext } from '../webhooks/secrets.ts';
import { resealActionSecrets } from '../workflows/secrets.ts';
import { organizationsPlacedIn } from './placed.ts';
import { isSealed, type SecretBox } from './secret-box.ts';

export type ResealResult = {
  organizations: number;
  webhookSecrets: number;
  totpSecrets: number;
  /** Workflows and unfinished runs whose webhook steps' secrets were sealed anew. */
  workflowSecrets: number;
  /** SSO connections' client secrets and IdP certificates. */
  ssoSecrets: number;
  failures: number;
};

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
  const organizationIds = deps.organizationIds
    ? new Set<string>(deps.organizationIds)
    : await organizationsPlacedIn(shards, deps.region);
  const result: ResealResult = {
    organizations: organizationIds.size,
    webhookSecrets: 0,
    totpSecrets: 0,
    workflowSecrets: 0,
    ssoSecrets: 0,
    failures: 0,
  };
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
      result.workflowSecrets += counts.workflowSecrets;
      result.ssoSecrets += counts.ssoSecrets;
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
  const workflowSecrets = await resealWorkflows(tx, organizationId, needsSealing, reseal);
  const ssoSecrets = await resealSsoSecrets(tx, organizationId, needsSealing, reseal);
  return { webhookSecrets, totpSecrets, workflowSecrets, ssoSecrets };
}

/** Workflows' webhook steps, and the copies of them in runs still to finish (a finished run never signs again). */
async function resealWorkflows(
  tx: Tx,
  organizationId: string,
  needsSealing: (value: string) => boolean,
  reseal: (value: string, context: string) => Promise<string | null>,
) {
  let count = 0;
  const defined = await tx
    .select({ id: workflows.id, actions: workflows.actions, version: workflows.version })
    .from(workflows)
    .where(eq(workflows.organizationId, organizationId));
  for (const { id, actions, version } of defined) {
    const next = await resealActionSecrets(id, actions, needsSealing, reseal);
    if (!next) continue;
    // Only if still the version read: an admin's edit in between wins, and what it stored is sealed already.
    const changed = await tx
      .update(workflows)
      .set({ actions: next })
      .where(and(eq(workflows.organizationId, organizationId), eq(workflows.id, id), eq(workflows.version, version)))
      .returning({ id: workflows.id });
    count += changed.length;
  }
  const unfinished = await tx
    .select({ id: workflowRuns.id, workflowId: workflowRuns.workflowId, actions: workflowRuns.actions })
    .from(workflowRuns)
    .where(and(eq(workflowRuns.organizationId, organizationId), isNull(workflowRuns.finishedAt)));
  for (const run of unfinished) {
    const next = await resealActionSecrets(run.workflowId, run.actions, needsSealing, reseal);
    if (!next) continue;
    await tx
      .update(workflowRuns)
      .set({ actions: next })
      .where(and(eq(workflowRuns.organizationId, organizationId), eq(workflowRuns.id, run.id)));
    count++;
  }
  return count;
}
