import type { Tx } from '../../db/database.ts';
import type { Actor } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';
import type { ActivityRow } from './view.ts';

/** The `activity.completed` audit row and event, for whatever reacts to finished work (reports, follow-ups). */
export function recordCompletion(tx: Tx, organizationId: string, actor: Actor, row: ActivityRow) {
  return recordChange(tx, {
    organizationId,
    actor,
    action: 'activity.completed',
    target: { type: 'activity', id: row.id },
    changes: { completedAt: row.completedAt },
    event: {
      type: 'activity.completed',
      payload: {
        activityId: row.id,
        ownerId: row.ownerId,
        completedAt: row.completedAt?.toISOString() ?? null,
        leadId: row.leadId,
        contactId: row.contactId,
        companyId: row.companyId,
        dealId: row.dealId,
      },
    },
  });
}
