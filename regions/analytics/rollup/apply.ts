import type { Tx } from '../../../db/database.ts';
import type { JobSender } from '../../emails/queue.ts';
import type { BusEvent } from '../../events/bus.ts';
import { applyDealEvent } from '../snapshots/live.ts';
import { requestBackfill } from './backfill.ts';
import { mayChangeRollups } from './counted.ts';
import { markDirty } from './dirty.ts';
import { advanceSettled, DEFAULT_SETTLE_SECONDS, lockAnalytics, readState } from './state.ts';
import { hoursTouched, recordIdsOf } from './touched.ts';

export type ApplyOptions = { jobs: JobSender; now?: Date; settleSeconds?: number };

/**
 * Events' effect on the roll-ups of their one organization, inside the analyzer's applyEachOnce transaction: the
 * hours the records they name were counted in and fall in now are marked for the organization's next rebuild
 * (dirty.ts), which counts them again from the base tables (whose writes committed before the events were
 * published, so the rebuild sees them); a deal's pipeline-snapshot days are rebuilt now, event by event; then the
 * settled mark moves on. An update that changes no counted field marks nothing (counted.ts). The first events of an
 * organization that has no roll-ups yet start its backfill. A batch of events costs one mark, one rebuild request
 * and one settle, as a single event does.
 */
export async function applyAnalyticsEvents(tx: Tx, events: readonly BusEvent[], options: ApplyOptions): Promise<void> {
  const organizationId = events[0]?.organizationId;
  if (!organizationId) return;
  if (events.some((event) => event.organizationId !== organizationId)) {
    throw new Error('applyAnalyticsEvents: the events must be of one organization');
  }
  const now = options.now ?? new Date();
  const settleSeconds = options.settleSeconds ?? DEFAULT_SETTLE_SECONDS;
  await lockAnalytics(tx, organizationId);
  const records = new Set(events.filter(mayChangeRollups).flatMap(recordIdsOf));
  if (records.size > 0) {
    const hours = await hoursTouched(tx, organizationId, [...records]);
    await markDirty(tx, options.jobs, organizationId, hours);
  }
  for (const event of events) await applyDealEvent(tx, event, now);
  if (!(await readState(tx, organizationId))) {
    await requestBackfill(tx, options.jobs, organizationId, now, settleSeconds);
    return;
  }
  await advanceSettled(tx, organizationId, now, settleSeconds);
}
