import { defaultScoringRules, evaluateRules, type ScoredFields, type ScoringRule } from './rules.ts';

/** A lead's score, 0–100, and the reasons that add up to it, so a rep can see why a lead ranks where it does. */
export type ScoreReason = { points: number; reason: string };
export type { ScoredFields, ScoringRule } from './rules.ts';

/** Webmail providers: their domain says nothing about the company a lead works for (conversion reuses it). */
export { freeMailDomains } from './rules.ts';

/**
 * Scores a lead by its organization's rules (regions/scoring/ loads them; the defaults are the built-in behaviour
 * every organization starts with).
 */
export function scoreLead(
  lead: ScoredFields,
  rules: readonly ScoringRule[] = defaultScoringRules,
): { score: number; reasons: ScoreReason[] } {
  return evaluateRules(lead, rules);
}
