import type { Tx } from '../../db/database.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { can } from '../auth/permissions.ts';
import {
  contactCandidates,
  type DuplicateKind,
  type DuplicateSubject,
  leadCandidates,
  nearestNames,
  type SubjectKeys,
  subjectKeys,
  worthAsking,
} from './queries.ts';
import { bestFirst, type DuplicateReason, rankMatch, SIMILARITY_THRESHOLD } from './rank.ts';

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

/** How many nearest names one read of the trigram index takes; each further read takes four times as many. */
export const NEAR_NAMES_BATCH = 50;

// The index orders by float4 distance (1 − similarity); a hair of slack keeps a name that rounds onto the threshold.
const NEAR_ENOUGH = SIMILARITY_THRESHOLD - 0.001;

/**
 * Every lead or contact of the organization whose name is at least as similar as the threshold: the nearest names
 * a batch at a time, until a batch ends with a name that is not similar enough (all further ones are less so) or
 * the organization has no more. Usually one small index read; a name shared by many people takes a few.
 */
export async function similarNameIds(tx: Tx, kind: DuplicateKind, organizationId: string, name: string) {
  for (let limit = NEAR_NAMES_BATCH; ; limit *= 4) {
    const rows = await nearestNames(tx, kind, organizationId, name, limit);
    const near = rows.filter((row) => row.similarity >= NEAR_ENOUGH);
    if (rows.length < limit || near.length < rows.length) return near.map((row) => row.id);
  }
}

async function candidatesOf(tx: Tx, principal: Principal, subject: DuplicateSubject, kind: DuplicateKind) {
  const keys: SubjectKeys = subjectKeys(subject);
  if (!worthAsking(keys)) return [];
  const nearIds = keys.name ? await similarNameIds(tx, kind, principal.organizationId, keys.name) : [];
  const query = (kind === 'lead' ? leadCandidates : contactCandidates)(tx, principal, subject, keys, nearIds);
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
  const candidates: DuplicateCandidate[] = [];
  for (const [kind, permission] of [
    ['lead', 'leads:read'],
    ['contact', 'contacts:read'],
  ] as const) {
    if (!can(principal, permission)) continue;
    for (const { sameEmail, samePhone, nameSimilarity, companySimilarity, ...record } of await candidatesOf(
      tx,
      principal,
      subject,
      kind,
    )) {
      const ranked = rankMatch({ sameEmail, samePhone, nameSimilarity, companySimilarity });
      if (ranked) candidates.push({ type: kind, ...record, ...ranked });
    }
  }
  return bestFirst(candidates);
}
