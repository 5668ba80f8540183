import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';
import { visiblePerson } from './access.ts';
import { removeStoredFiles } from './attachments.ts';
import { erasePersonData } from './erase.ts';
import type { PersonType } from './people.ts';

/**
 * The right to erasure: anonymises the person (and their converted counterpart) in one transaction, audited as
 * `privacy.erased` with ids and counts only; their files go after the commit.
 */
export async function erasePerson(ctx: RegionContext, actor: Actor, type: PersonType, id: string) {
  const { principal } = actor;
  assertCan(principal, 'data:erase');
  const { organizationId } = principal;
  const summary = await ctx.shards.withTenant(organizationId, async (tx) => {
    const ids = await visiblePerson(tx, principal, type, id);
    const erased = await erasePersonData(tx, organizationId, ids, new Date());
    await recordErasure(tx, organizationId, actor, type, id, erased);
    return erased;
  });
  await removeStoredFiles(ctx, summary.storageKeys);
  const { storageKeys: _keys, ...view } = summary;
  return { type, id, erasedAt: new Date().toISOString(), ...view };
}

export async function recordErasure(
  tx: Parameters<typeof recordChange>[0],
  organizationId: string,
  actor: Parameters<typeof recordChange>[1]['actor'],
  type: PersonType,
  id: string,
  erased: Awaited<ReturnType<typeof erasePersonData>>,
) {
  const { leadIds, contactIds, activityIds, attachmentIds } = erased;
  await recordChange(tx, {
    organizationId,
    // Ids and counts only: the row that records an erasure holds no personal data of the erased person. Who
    // erased, and from where (the admin's IP and user agent), is the security trail an erasure must leave.
    actor: { principal: actor.principal ?? null, ip: actor.ip ?? null, userAgent: actor.userAgent ?? null },
    action: 'privacy.erased',
    target: { type, id },
    changes: { leadIds, contactIds, activityIds, attachmentCount: attachmentIds.length },
    event: { type: 'privacy.erased', payload: { type, id, leadIds, contactIds } },
  });
}
