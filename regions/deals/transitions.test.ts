import { describe, expect, it } from 'vitest';
import {
  closingStage,
  type DealPlacement,
  enterStage,
  firstOpenStage,
  secondsBetween,
  statusForKind,
} from './transitions.ts';

const t0 = new Date('2026-11-27T12:00:00.000Z');
const later = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

const open = { id: 'qualify', kind: 'open' as const };
const proposal = { id: 'proposal', kind: 'open' as const };
const won = { id: 'won', kind: 'won' as const };
const wonToo = { id: 'won-2', kind: 'won' as const };
const lost = { id: 'lost', kind: 'lost' as const };

const openDeal: DealPlacement = {
  stageId: 'qualify',
  stageEnteredAt: t0,
  status: 'open',
  closedAt: null,
  closeReason: null,
};

describe('enterStage', () => {
  it('places a new deal: no previous stage and no time in it', () => {
    expect(enterStage(null, open, t0)).toEqual({
      fields: { stageId: 'qualify', stageEnteredAt: t0, status: 'open', closedAt: null, closeReason: null },
      change: { fromStageId: null, toStageId: 'qualify', secondsInPreviousStage: null },
      closedAs: null,
      reopened: false,
    });
  });

  it('closes a deal created straight into a won stage', () => {
    const created = enterStage(null, won, t0, 'Signed at the booth')!;
    expect(created.fields).toMatchObject({ status: 'won', closedAt: t0, closeReason: 'Signed at the booth' });
    expect(created.closedAs).toBe('won');
  });

  it('records the whole seconds spent in the stage left, from when it was entered', () => {
    const moved = enterStage(openDeal, proposal, later(3 * 86400 + 59.9))!;
    expect(moved.change).toEqual({ fromStageId: 'qualify', toStageId: 'proposal', secondsInPreviousStage: 259259 });
    expect(moved.fields).toEqual({
      stageId: 'proposal',
      stageEnteredAt: later(3 * 86400 + 59.9),
      status: 'open',
      closedAt: null,
      closeReason: null,
    });
    expect(moved.closedAs).toBeNull();
    expect(moved.reopened).toBe(false);
  });

  it('is no move at all into the stage the deal is already in', () => {
    expect(enterStage(openDeal, open, later(10))).toBeNull();
  });

  it('closes the deal on entering a won or lost stage, with the reason given', () => {
    const wonMove = enterStage(openDeal, won, later(60), 'Best price')!;
    expect(wonMove.fields).toMatchObject({ status: 'won', closedAt: later(60), closeReason: 'Best price' });
    expect(wonMove.closedAs).toBe('won');
    const lostMove = enterStage(openDeal, lost, later(60))!;
    expect(lostMove.fields).toMatchObject({ status: 'lost', closedAt: later(60), closeReason: null });
    expect(lostMove.closedAs).toBe('lost');
  });

  it('reopens a closed deal moved to an open stage: status open, closedAt and the reason cleared', () => {
    const closed = enterStage(openDeal, lost, later(60), 'No budget')!.fields;
    const reopened = enterStage(closed, proposal, later(120))!;
    expect(reopened.fields).toEqual({
      stageId: 'proposal',
      stageEnteredAt: later(120),
      status: 'open',
      closedAt: null,
      closeReason: null,
    });
    expect(reopened.reopened).toBe(true);
    expect(reopened.closedAs).toBeNull();
    expect(reopened.change.secondsInPreviousStage).toBe(60);
  });

  it('re-closes with the new outcome and time when a lost deal is moved to won', () => {
    const closed = enterStage(openDeal, lost, later(60), 'No budget')!.fields;
    const flipped = enterStage(closed, won, later(600))!;
    expect(flipped.fields).toMatchObject({ status: 'won', closedAt: later(600), closeReason: null });
    expect(flipped.closedAs).toBe('won');
    expect(flipped.reopened).toBe(false);
  });

  it('keeps closedAt and the reason between two stages of the same outcome', () => {
    const closed = enterStage(openDeal, won, later(60), 'Best price')!.fields;
    const moved = enterStage(closed, wonToo, later(90))!;
    expect(moved.fields).toMatchObject({ status: 'won', closedAt: later(60), closeReason: 'Best price' });
    expect(moved.closedAs).toBeNull();
    expect(enterStage(closed, wonToo, later(90), 'Renewal')!.fields.closeReason).toBe('Renewal');
  });
});

describe('secondsBetween', () => {
  it('counts whole seconds and never goes negative', () => {
    expect(secondsBetween(t0, later(1.999))).toBe(1);
    expect(secondsBetween(t0, t0)).toBe(0);
    expect(secondsBetween(later(5), t0)).toBe(0);
  });
});

describe('stage choice', () => {
  const stages = [
    { id: 'lost', kind: 'lost' as const, position: 4 },
    { id: 'won', kind: 'won' as const, position: 3 },
    { id: 'b', kind: 'open' as const, position: 1 },
    { id: 'a', kind: 'open' as const, position: 0 },
    { id: 'won-late', kind: 'won' as const, position: 5 },
  ];

  it('defaults a new deal to the first open stage by position', () => {
    expect(firstOpenStage(stages)?.id).toBe('a');
    expect(firstOpenStage(stages.filter((s) => s.kind !== 'open'))).toBeUndefined();
  });

  it('closes into the first won or lost stage by position', () => {
    expect(closingStage(stages, 'won')?.id).toBe('won');
    expect(closingStage(stages, 'lost')?.id).toBe('lost');
    expect(closingStage(stages.slice(2, 4), 'won')).toBeUndefined();
  });

  it('takes the status from the kind', () => {
    expect(['open', 'won', 'lost'].map((k) => statusForKind(k as 'open'))).toEqual(['open', 'won', 'lost']);
  });
});
