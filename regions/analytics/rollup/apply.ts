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
 * One event's effect on the roll-ups, inside the analyzer's applyOnce transaction: the hours the records it names
 * were counted in and fall in now are marked for the organization's next rebuild (dirty.ts), which counts them
 * again from the base tables (whose write committed before the event was published, so the rebuild sees it); a
 * deal's pipeline-snapshot days are rebuilt now; then the settled mark moves on. An update that changes no counted
 * field marks nothing (counted.ts). The first event of an organization that has no roll-ups yet starts its backfill.
 */
export async function applyAnalyticsEvent(tx: Tx, event: BusEvent, options: ApplyOptions): Promise<void> {
  const { organizationId } = event;
  const now = options.now ?? new Date();
  const settleSeconds = options.settleSeconds ?? DEFAULT_SETTLE_SECONDS;
  await lockAnalytics(tx, organizationId);
  if (mayChangeRollups(event)) {
    const hours = await hoursTouched(tx, organizationId, recordIdsOf(event));
    await markDirty(tx, options.jobs, organizationId, hours);
  }
  await applyDealEvent(tx, event, now);
  if (!(await readState(tx, organizationId))) {
    await requestBackfill(tx, options.jobs, organizationId, now, settleSeconds);
    return;
  }
  await advanceSettled(tx, organizationId, now, settleSeconds);
}
