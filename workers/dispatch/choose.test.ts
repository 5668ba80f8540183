import { describe, expect, it } from 'vitest';
import { afterDecision, chooseOwner, type RepFacts, type RuleFacts } from './choose.ts';
import { type LeadFacts, matchConditions } from './conditions.ts';

const now = new Date('2026-11-27T12:00:00.000Z');
const lead = (facts: Partial<LeadFacts> = {}): LeadFacts => ({
  country: null,
  region: null,
  industry: null,
  source: null,
  ...facts,
});
const rep = (userId: string, facts: Partial<RepFacts> = {}): RepFacts => ({
  userId,
  name: userId.toUpperCase(),
  notAssignable: null,
  away: false,
  awayUntil: null,
  maxOpenLeads: null,
  openLeads: 0,
  ...facts,
});
const repsOf = (...list: RepFacts[]) => new Map(list.map((r) => [r.userId, r]));
const rule = (id: string, facts: Partial<RuleFacts> & Pick<RuleFacts, 'members'>): RuleFacts => ({
  id,
  name: id,
  strategy: 'round_robin',
  conditions: {},
  lastUserId: null,
  ...facts,
});
const members = (...ids: string[]) => ids.map((userId) => ({ userId, weight: 1, territory: null }));

/** Assigns `count` leads one after another, carrying the state forward as the worker does within a batch. */
function run(count: number, rules: RuleFacts[], reps: Map<string, RepFacts>, facts: Partial<LeadFacts> = {}) {
  const owners: (string | null)[] = [];
  let state = { rules, reps };
  for (let i = 0; i < count; i++) {
    const decision = chooseOwner(lead(facts), state.rules, state.reps, now);
    owners.push(decision.ownerId);
    state = afterDecision(state.rules, state.reps, decision);
  }
  return { owners, state };
}
function tally(owners: (string | null)[]) {
  const counts: Record<string, number> = {};
  for (const owner of owners) counts[String(owner)] = (counts[String(owner)] ?? 0) + 1;
  return counts;
}

describe('matchConditions', () => {
  it('needs every given list to hold the lead value; countries exactly, the rest without case', () => {
    const conditions = { countries: ['DE', 'AT'], industries: ['Manufacturing'] };
    expect(matchConditions(conditions, lead({ country: 'DE', industry: 'manufacturing ' }))).toEqual({
      matched: true,
      detail: 'country DE is one of DE, AT; industry manufacturing  is one of Manufacturing',
    });
    expect(matchConditions(conditions, lead({ country: 'FR', industry: 'Manufacturing' }))).toEqual({
      matched: false,
      detail: 'country FR is not one of DE, AT',
    });
    expect(matchConditions({ regions: ['Bavaria'] }, lead()).detail).toBe('no region given, needs one of Bavaria');
    expect(matchConditions({ sources: ['Referral'] }, lead({ source: 'referral' })).matched).toBe(true);
  });

  it('places no condition for a missing or empty list', () => {
    expect(matchConditions({}, lead())).toEqual({ matched: true, detail: 'no conditions: takes every lead' });
    expect(matchConditions(null, lead({ country: 'US' })).matched).toBe(true);
    expect(matchConditions({ countries: [] }, lead()).matched).toBe(true);
  });
});

describe('chooseOwner', () => {
  it('rotates fairly: 9 leads over 3 reps give 3 each, in member order', () => {
    const { owners, state } = run(
      9,
      [rule('rr', { members: members('a', 'b', 'c') })],
      repsOf(rep('a'), rep('b'), rep('c')),
    );
    expect(owners).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c']);
    expect(tally(owners)).toEqual({ a: 3, b: 3, c: 3 });
    expect(state.rules[0]!.lastUserId).toBe('c');
    expect(state.reps.get('a')!.openLeads).toBe(3);
  });

  it('continues the rotation after the rep chosen last, wrapping around', () => {
    const rules = [rule('rr', { members: members('a', 'b', 'c'), lastUserId: 'b' })];
    const decision = chooseOwner(lead(), rules, repsOf(rep('a'), rep('b'), rep('c')), now);
    expect(decision.ownerId).toBe('c');
    expect(decision.explanation.rules[0]!.candidates.map((c) => c.userId)).toEqual(['c', 'a', 'b']);
    const removed = [rule('rr', { members: members('a', 'b'), lastUserId: 'gone' })];
    expect(chooseOwner(lead(), removed, repsOf(rep('a'), rep('b')), now).ownerId).toBe('a');
  });

  it('skips away and at-capacity reps and says why; a past away-until means back', () => {
    const reps = repsOf(
      rep('a', { away: true, awayUntil: new Date('2026-12-01T00:00:00.000Z') }),
      rep('b', { maxOpenLeads: 5, openLeads: 5 }),
      rep('c', { away: true, awayUntil: new Date('2026-11-20T00:00:00.000Z'), openLeads: 2, maxOpenLeads: 10 }),
    );
    const decision = chooseOwner(lead(), [rule('rr', { members: members('a', 'b', 'c') })], reps, now);
    expect(decision.ownerId).toBe('c');
    expect(decision.explanation).toMatchObject({
      outcome: 'assigned',
      summary: 'Assigned to C by rule "rr" (round robin)',
      ownerId: 'c',
      ruleId: 'rr',
    });
    expect(decision.explanation.rules[0]!.candidates).toEqual([
      expect.objectContaining({
        userId: 'a',
        outcome: 'skipped',
        reason: 'away',
        detail: 'away until 2026-12-01T00:00:00.000Z',
      }),
      expect.objectContaining({
        userId: 'b',
        outcome: 'skipped',
        reason: 'at_capacity',
        detail: 'at capacity: 5 of 5 open leads',
      }),
      expect.objectContaining({
        userId: 'c',
        outcome: 'chosen',
        reason: null,
        detail: 'next in rotation (2 of 10 open leads)',
      }),
    ]);
  });

  it('skips members who may not own leads or left the organization', () => {
    const reps = repsOf(rep('a', { notAssignable: 'disabled' }), rep('b'));
    const decision = chooseOwner(lead(), [rule('rr', { members: members('gone', 'a', 'b') })], reps, now);
    expect(decision.ownerId).toBe('b');
    expect(decision.explanation.rules[0]!.candidates.slice(0, 2)).toEqual([
      expect.objectContaining({
        userId: 'gone',
        reason: 'not_assignable',
        detail: 'no longer a member of the organization',
      }),
      expect.objectContaining({ userId: 'a', reason: 'not_assignable', detail: 'disabled' }),
    ]);
  });

  it('sends a lead to the first rule whose territory it is in', () => {
    const rules = [
      rule('france', { conditions: { countries: ['FR'] }, members: members('fr') }),
      rule('dach', { conditions: { countries: ['DE', 'AT', 'CH'] }, members: members('dach') }),
      rule('rest', { members: members('x') }),
    ];
    const reps = repsOf(rep('fr'), rep('dach'), rep('x'));
    const decision = chooseOwner(lead({ country: 'DE' }), rules, reps, now);
    expect(decision).toMatchObject({ ownerId: 'dach', ruleId: 'dach' });
    expect(decision.explanation.rules).toEqual([
      expect.objectContaining({
        ruleId: 'france',
        matched: false,
        detail: 'country DE is not one of FR',
        candidates: [],
      }),
      expect.objectContaining({ ruleId: 'dach', matched: true, detail: 'country DE is one of DE, AT, CH' }),
    ]);
    expect(chooseOwner(lead({ country: 'US' }), rules, reps, now).ownerId).toBe('x');
  });

  it('skips a member whose own territory does not hold the lead', () => {
    const rules = [
      rule('eu', {
        members: [
          { userId: 'south', weight: 1, territory: { countries: ['ES', 'IT'] } },
          { userId: 'north', weight: 1, territory: { countries: ['SE', 'NO'] } },
        ],
      }),
    ];
    const decision = chooseOwner(lead({ country: 'SE' }), rules, repsOf(rep('south'), rep('north')), now);
    expect(decision.ownerId).toBe('north');
    expect(decision.explanation.rules[0]!.candidates[0]).toMatchObject({
      userId: 'south',
      reason: 'not_in_territory',
      detail: 'country SE is not one of ES, IT',
    });
  });

  it('passes a matching rule whose reps are all skipped on to the next, and explains both', () => {
    const rules = [
      rule('dach', { conditions: { countries: ['DE'] }, members: members('dach') }),
      rule('rest', { members: members('x') }),
    ];
    const decision = chooseOwner(lead({ country: 'DE' }), rules, repsOf(rep('dach', { away: true }), rep('x')), now);
    expect(decision.ownerId).toBe('x');
    expect(decision.explanation.rules.map((r) => [r.ruleId, r.matched, r.detail])).toEqual([
      ['dach', true, 'country DE is one of DE; every rep was skipped'],
      ['rest', true, 'no conditions: takes every lead'],
    ]);
  });

  it('leaves the lead unassigned with the reason when nobody can take it', () => {
    const away = repsOf(rep('a', { away: true }));
    const skipped = chooseOwner(lead(), [rule('rr', { members: members('a') })], away, now);
    expect(skipped).toMatchObject({ ownerId: null, ruleId: null });
    expect(skipped.explanation.summary).toBe('Every rep of the matching rules was skipped; the lead stays unassigned');
    expect(skipped.explanation.rules[0]!.candidates[0]).toMatchObject({ outcome: 'skipped', reason: 'away' });
    const unmatched = chooseOwner(
      lead({ country: 'US' }),
      [rule('de', { conditions: { countries: ['DE'] }, members: members('a') })],
      repsOf(rep('a')),
      now,
    );
    expect(unmatched.explanation).toMatchObject({
      outcome: 'unassigned',
      summary: 'No rule matched the lead; it stays unassigned',
    });
    expect(chooseOwner(lead(), [], repsOf(), now).explanation.summary).toBe(
      'No active assignment rule; the lead stays unassigned',
    );
  });

  it('weighted: gives reps leads in proportion to their weight, deterministically', () => {
    const rules = [
      rule('w', {
        strategy: 'weighted',
        members: [
          { userId: 'big', weight: 2, territory: null },
          { userId: 'small', weight: 1, territory: null },
        ],
      }),
    ];
    const { owners } = run(9, rules, repsOf(rep('big'), rep('small')));
    expect(tally(owners)).toEqual({ big: 6, small: 3 });
    expect(run(9, rules, repsOf(rep('big'), rep('small'))).owners).toEqual(owners);
  });

  it('weighted: the rep with more free capacity gets the lead, and none beyond a limit', () => {
    const rules = [rule('w', { strategy: 'weighted', members: members('a', 'b') })];
    const reps = repsOf(rep('a', { openLeads: 4, maxOpenLeads: 5 }), rep('b', { openLeads: 1, maxOpenLeads: 3 }));
    const first = chooseOwner(lead(), rules, reps, now);
    expect(first.ownerId).toBe('b');
    expect(first.explanation.summary).toBe('Assigned to B by rule "w" (weighted by capacity)');
    expect(first.explanation.rules[0]!.candidates).toEqual([
      expect.objectContaining({
        userId: 'a',
        outcome: 'eligible',
        detail: '4 of 5 open leads; 4/1 per unit of weight',
      }),
      expect.objectContaining({ userId: 'b', outcome: 'chosen' }),
    ]);
    // Equal load: the larger free capacity wins the tie.
    const tied = repsOf(rep('a', { openLeads: 2, maxOpenLeads: 3 }), rep('b', { openLeads: 2, maxOpenLeads: 10 }));
    expect(chooseOwner(lead(), rules, tied, now).ownerId).toBe('b');
    const { owners } = run(10, rules, reps);
    expect(tally(owners)).toEqual({ a: 1, b: 2, null: 7 });
  });
});
