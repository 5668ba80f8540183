import type { Tx } from '../../db/database.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { rows } from '../analytics/sql.ts';
import { can } from '../auth/permissions.ts';
import {
  contactCandidateCount,
  contactCandidates,
  type DuplicateKind,
  type DuplicateSubject,
  leadCandidateCount,
  leadCandidates,
  type SubjectKeys,
  subjectKeys,
  useIndexThreshold,
  worthAsking,
} from './queries.ts';
import { bestFirst, type DuplicateReason, MAX_DUPLICATES, rankMatch } from './rank.ts';

export type { DuplicateSubject } from './queries.ts';

export type DuplicateCandidate = {
  type: DuplicateKind;
  id: string;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  ownerId: string | null;
  score: number;
  reasons: DuplicateReason[];
};

/** The kinds of record compared, each with the permission that lets the caller see it. */
const kinds = [
  ['lead', 'leads:read'],
  ['contact', 'contacts:read'],
] as const;

/** The subject's comparable keys, or null when it has nothing to compare; sets the trigram threshold if needed. */
async function keysToAsk(tx: Tx, subject: DuplicateSubject): Promise<SubjectKeys | null> {
  const keys = subjectKeys(subject);
  if (!worthAsking(keys)) return null;
  if (keys.name) await useIndexThreshold(tx);
  return keys;
}

async function candidatesOf(
  tx: Tx,
  principal: Principal,
  subject: DuplicateSubject,
  keys: SubjectKeys,
  kind: DuplicateKind,
) {
  const query = (kind === 'lead' ? leadCandidates : contactCandidates)(tx, principal, subject, keys);
  return query ? await query : [];
}

/**
 * The likely duplicates of a record among the leads and contacts the caller may see (a sales rep only their own;
 * a credential that cannot read one kind is shown none of it), best first, at most MAX_DUPLICATES.
 */
export async function findDuplicates(
  tx: Tx,
  principal: Principal,
  subject: DuplicateSubject,
): Promise<DuplicateCandidate[]> {
  const keys = await keysToAsk(tx, subject);
  if (!keys) return [];
  const candidates: DuplicateCandidate[] = [];
  for (const [kind, permission] of kinds) {
    if (!can(principal, permission)) continue;
    for (const { sameEmail, samePhone, nameSimilarity, companySimilarity, ...record } of await candidatesOf(
      tx,
      principal,
      subject,
      keys,
      kind,
    )) {
      const ranked = rankMatch({ sameEmail, samePhone, nameSimilarity, companySimilarity });
      if (ranked) candidates.push({ type: kind, ...record, ...ranked });
    }
  }
  return bestFirst(candidates);
}

/**
 * How many likely duplicates findDuplicates would return (at most MAX_DUPLICATES), without ranking them: each kind
 * is counted only up to what is still missing, so a name shared by thousands costs no more than twenty matches.
 */
export async function countDuplicates(tx: Tx, principal: Principal, subject: DuplicateSubject): Promise<number> {
  const keys = await keysToAsk(tx, subject);
  if (!keys) return 0;
  let found = 0;
  for (const [kind, permission] of kinds) {
    if (found >= MAX_DUPLICATES || !can(principal, permission)) continue;
    const atMost = MAX_DUPLICATES - found;
    const query =
      kind === 'lead'
        ? leadCandidateCount(principal, subject, keys, atMost)
        : contactCandidateCount(tx, principal, subject, keys, atMost);
    if (query) found += (await rows<{ n: number }>(tx, query))[0]?.n ?? 0;
  }
  return found;
}
