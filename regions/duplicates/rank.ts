/** How one candidate record matches the record being checked, as the database measured it. */
export type Match = {
  sameEmail: boolean;
  samePhone: boolean;
  /** pg_trgm similarity of the full names, 0–1. */
  nameSimilarity: number;
  /** pg_trgm similarity of the company names, 0–1 (0 when either has none). */
  companySimilarity: number;
};

export type DuplicateReasonCode = 'same_email' | 'same_phone' | 'similar_name_and_company';
export type DuplicateReason = { code: DuplicateReasonCode; message: string };

/** Both the names and the companies must be at least this similar to count; a similar name alone is too common. */
export const SIMILARITY_THRESHOLD = 0.45;
export const MAX_DUPLICATES = 20;

// How likely each kind of evidence alone means the same person: a shared email address almost always does, a
// shared phone number often (switchboards), a similar name at a similar company only somewhat.
export const EMAIL_WEIGHT = 0.9;
export const PHONE_WEIGHT = 0.7;
export const NAME_WEIGHT = 0.8;

const similarEnough = (m: Match) =>
  m.nameSimilarity >= SIMILARITY_THRESHOLD && m.companySimilarity >= SIMILARITY_THRESHOLD;

const percent = (value: number) => Math.round(value * 100);

/**
 * The reasons a candidate is a likely duplicate and a 0–100 score, or null if it is not one. Independent pieces
 * of evidence combine like independent chances (1 − ∏(1 − p)), so more evidence always ranks higher but never
 * past 100.
 */
export function rankMatch(match: Match): { score: number; reasons: DuplicateReason[] } | null {
  const reasons: DuplicateReason[] = [];
  const chances: number[] = [];
  if (match.sameEmail) {
    reasons.push({ code: 'same_email', message: 'Same email address' });
    chances.push(EMAIL_WEIGHT);
  }
  if (match.samePhone) {
    reasons.push({ code: 'same_phone', message: 'Same phone number' });
    chances.push(PHONE_WEIGHT);
  }
  if (similarEnough(match)) {
    reasons.push({
      code: 'similar_name_and_company',
      message: `Similar name (${percent(match.nameSimilarity)}%) and company (${percent(match.companySimilarity)}%)`,
    });
    chances.push((NAME_WEIGHT * (match.nameSimilarity + match.companySimilarity)) / 2);
  }
  if (chances.length === 0) return null;
  const score = percent(1 - chances.reduce((missed, p) => missed * (1 - p), 1));
  return { score: Math.min(100, Math.max(1, score)), reasons };
}

/** Best first; equal scores newest first (UUIDv7 ids sort by creation), at most MAX_DUPLICATES. */
export function bestFirst<T extends { id: string; score: number }>(candidates: T[]): T[] {
  return [...candidates]
    .sort((a, b) => b.score - a.score || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .slice(0, MAX_DUPLICATES);
}
