import type { Principal } from '../../edge/protocol/principal.ts';
import { forbidden } from '../../openapi/errors.ts';
import { assertCan, ownRecordsOnly } from '../auth/permissions.ts';
import { type ReportRange, reportRange } from './range.ts';

/**
 * Whose figures a report counts (null: the whole organization) over which days. `rollups: false` computes from the
 * base tables alone (the roll-up tests compare both ways); by default reports read the roll-ups where they can.
 */
export type ReportScope = { organizationId: string; ownerId: string | null; range: ReportRange; rollups?: boolean };

export type ScopeQuery = { from?: string; to?: string; tz?: string; ownerId?: string };

/**
 * Reports need reports:view, and a CSV download reports:export as well. Managers, admins, viewers and keys with
 * the scope see the organization (or the one owner they ask for); a sales rep sees only their own figures, and
 * asking for someone else's is refused outright rather than quietly answered with their own.
 */
export function reportScope(principal: Principal, query: ScopeQuery, csv: boolean, now?: Date): ReportScope {
  assertCan(principal, 'reports:view');
  if (csv) assertCan(principal, 'reports:export');
  const own = ownRecordsOnly(principal);
  if (own && query.ownerId !== undefined && query.ownerId !== own) {
    throw forbidden("Sales reps can see only their own figures; leave out ownerId or pass your own user's id");
  }
  return {
    organizationId: principal.organizationId,
    ownerId: own ?? query.ownerId ?? null,
    range: reportRange(query, now),
  };
}
