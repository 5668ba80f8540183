import type { AssignmentConditions, AssignmentStrategy } from '../../db/schema/assignment-enums.ts';
import { type LeadFacts, matchConditions } from './conditions.ts';

export type MemberFacts = { userId: string; weight: number; territory: AssignmentConditions | null };

/** An active rule as dispatch sees it: members in rotation order, and the rep its rotation chose last. */
export type RuleFacts = {
  id: string;
  name: string;
  strategy: AssignmentStrategy;
  conditions: AssignmentConditions;
  members: readonly MemberFacts[];
  lastUserId: string | null;
};

/** A member of the organization as a possible owner: whether they may own leads at all, and their load. */
export type RepFacts = {
  userId: string;
  name: string;
  /** Null when they may be given leads (an active sales rep or manager); otherwise why not. */
  notAssignable: string | null;
  away: boolean;
  awayUntil: Date | null;
  maxOpenLeads: number | null;
  openLeads: number;
};

export type SkipReason = 'not_assignable' | 'not_in_territory' | 'away' | 'at_capacity';

export type Candidate = {
  userId: string;
  name: string;
  outcome: 'chosen' | 'eligible' | 'skipped';
  reason: SkipReason | null;
  detail: string;
  openLeads: number;
  maxOpenLeads: number | null;
  weight: number;
};

export type RuleTrial = {
  ruleId: string;
  name: string;
  strategy: AssignmentStrategy;
  matched: boolean;
  detail: string;
  candidates: Candidate[];
};

/** Stored with every assignment and shown by GET /api/v1/leads/{id}/assignment. */
export type Explanation = {
  outcome: 'assigned' | 'unassigned';
  summary: string;
  ownerId: string | null;
  ruleId: string | null;
  rules: RuleTrial[];
};

export type Decision = { ownerId: string | null; ruleId: string | null; explanation: Explanation };

const strategyNames: Record<AssignmentStrategy, string> = {
  round_robin: 'round robin',
  weighted: 'weighted by capacity',
};

/** Whether an away flag still holds: an away-until in the past means the rep is back. */
export const isAway = (rep: Pick<RepFacts, 'away' | 'awayUntil'>, now: Date) =>
  rep.away && (rep.awayUntil === null || rep.awayUntil.getTime() > now.getTime());

export const atCapacity = (rep: Pick<RepFacts, 'maxOpenLeads' | 'openLeads'>) =>
  rep.maxOpenLeads !== null && rep.openLeads >= rep.maxOpenLeads;

const load = (rep: RepFacts) =>
  rep.maxOpenLeads === null
    ? `${rep.openLeads} open leads, no limit`
    : `${rep.openLeads} of ${rep.maxOpenLeads} open leads`;

/** Why a member cannot take this lead (the first reason that applies), or null when they can. */
function screen(
  member: MemberFacts,
  rep: RepFacts | undefined,
  lead: LeadFacts,
  now: Date,
): { reason: SkipReason; detail: string } | null {
  if (!rep) return { reason: 'not_assignable', detail: 'no longer a member of the organization' };
  if (rep.notAssignable !== null) return { reason: 'not_assignable', detail: rep.notAssignable };
  if (member.territory) {
    const territory = matchConditions(member.territory, lead);
    if (!territory.matched) return { reason: 'not_in_territory', detail: territory.detail };
  }
  if (isAway(rep, now)) {
    return { reason: 'away', detail: rep.awayUntil ? `away until ${rep.awayUntil.toISOString()}` : 'away' };
  }
  if (atCapacity(rep)) return { reason: 'at_capacity', detail: `at capacity: ${load(rep)}` };
  return null;
}

type Screened = { member: MemberFacts; rep: RepFacts | undefined; index: number; skip: ReturnType<typeof screen> };

/** Round robin: the members from the one after the rule's last choice, wrapping; the first eligible wins. */
function rotation(rule: RuleFacts, screened: Screened[]): { order: Screened[]; chosen: Screened | undefined } {
  const last = rule.members.findIndex((m) => m.userId === rule.lastUserId);
  const start = last < 0 ? 0 : (last + 1) % screened.length;
  const order = [...screened.slice(start), ...screened.slice(0, start)];
  return { order, chosen: order.find((s) => s.skip === null) };
}

/**
 * Weighted: the eligible rep with the fewest open leads per unit of weight (compared as cross products, so exact);
 * ties go to the most free capacity (no limit counting as most), then to member order.
 */
function weightedPick(screened: Screened[]): Screened | undefined {
  const free = (s: Screened) => (s.rep!.maxOpenLeads === null ? Infinity : s.rep!.maxOpenLeads - s.rep!.openLeads);
  let best: Screened | undefined;
  for (const s of screened) {
    if (s.skip !== null) continue;
    if (!best) {
      best = s;
      continue;
    }
    const mine = s.rep!.openLeads * best.member.weight;
    const theirs = best.rep!.openLeads * s.member.weight;
    if (mine < theirs || (mine === theirs && free(s) > free(best))) best = s;
  }
  return best;
}

function candidateOf(s: Screened, chosen: Screened | undefined, strategy: AssignmentStrategy): Candidate {
  const base = {
    userId: s.member.userId,
    name: s.rep?.name ?? '',
    openLeads: s.rep?.openLeads ?? 0,
    maxOpenLeads: s.rep?.maxOpenLeads ?? null,
    weight: s.member.weight,
  };
  if (s.skip) return { ...base, outcome: 'skipped', reason: s.skip.reason, detail: s.skip.detail };
  const perWeight = strategy === 'weighted' ? `; ${s.rep!.openLeads}/${s.member.weight} per unit of weight` : '';
  if (s === chosen) {
    const why = strategy === 'weighted' ? 'fewest open leads for their weight' : 'next in rotation';
    return { ...base, outcome: 'chosen', reason: null, detail: `${why} (${load(s.rep!)}${perWeight})` };
  }
  return { ...base, outcome: 'eligible', reason: null, detail: `${load(s.rep!)}${perWeight}` };
}

/**
 * Picks a new lead's owner: the rules are tried in order; the first whose conditions the lead meets and that has an
 * eligible rep (an assignable member, in their territory, not away, below their limit) assigns it by its strategy.
 * A matching rule whose reps are all skipped passes the lead on to the next. Pure: the same lead, rules, reps and
 * time always give the same decision, and the explanation says why.
 */
export function chooseOwner(
  lead: LeadFacts,
  rules: readonly RuleFacts[],
  reps: ReadonlyMap<string, RepFacts>,
  now: Date,
): Decision {
  const trials: RuleTrial[] = [];
  for (const rule of rules) {
    const conditions = matchConditions(rule.conditions, lead);
    const trial = { ruleId: rule.id, name: rule.name, strategy: rule.strategy, detail: conditions.detail };
    if (!conditions.matched) {
      trials.push({ ...trial, matched: false, candidates: [] });
      continue;
    }
    const screened = rule.members.map((member, index) => {
      const rep = reps.get(member.userId);
      return { member, rep, index, skip: screen(member, rep, lead, now) };
    });
    const { order, chosen } =
      rule.strategy === 'round_robin' ? rotation(rule, screened) : { order: screened, chosen: weightedPick(screened) };
    const candidates = order.map((s) => candidateOf(s, chosen, rule.strategy));
    if (!chosen) {
      trials.push({ ...trial, matched: true, detail: `${trial.detail}; every rep was skipped`, candidates });
      continue;
    }
    trials.push({ ...trial, matched: true, candidates });
    const ownerId = chosen.member.userId;
    const summary = `Assigned to ${chosen.rep!.name} by rule "${rule.name}" (${strategyNames[rule.strategy]})`;
    return {
      ownerId,
      ruleId: rule.id,
      explanation: { outcome: 'assigned', summary, ownerId, ruleId: rule.id, rules: trials },
    };
  }
  const summary =
    rules.length === 0
      ? 'No active assignment rule; the lead stays unassigned'
      : trials.some((t) => t.matched)
        ? 'Every rep of the matching rules was skipped; the lead stays unassigned'
        : 'No rule matched the lead; it stays unassigned';
  return {
    ownerId: null,
    ruleId: null,
    explanation: { outcome: 'unassigned', summary, ownerId: null, ruleId: null, rules: trials },
  };
}

/**
 * The state after a decision, for the next lead of the same batch: the chosen rep has one more open lead and the
 * rule's rotation moved on to them. Inputs are left as they were.
 */
export function afterDecision(
  rules: readonly RuleFacts[],
  reps: ReadonlyMap<string, RepFacts>,
  decision: Decision,
): { rules: RuleFacts[]; reps: Map<string, RepFacts> } {
  const next = new Map(reps);
  const owner = decision.ownerId ? reps.get(decision.ownerId) : undefined;
  if (owner) next.set(owner.userId, { ...owner, openLeads: owner.openLeads + 1 });
  return {
    rules: rules.map((r) => (r.id === decision.ruleId ? { ...r, lastUserId: decision.ownerId } : r)),
    reps: next,
  };
}
