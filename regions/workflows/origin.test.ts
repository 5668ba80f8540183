import { describe, expect, it } from 'vitest';
import { loopVerdict, MAX_CHAIN_DEPTH, originOf, subjectOf } from './origin.ts';

const [a, b, c] = ['wf-a', 'wf-b', 'wf-c'];

describe('loop protection', () => {
  it('lets a person’s write start any workflow, at the head of a new chain', () => {
    expect(loopVerdict(a, null)).toEqual({ run: true, chain: [a] });
  });

  it('never runs a workflow on an event its own run caused', () => {
    const verdict = loopVerdict(a, { workflowId: a, runId: 'r1', chain: [a] });
    expect(verdict).toEqual({ run: false, reason: 'loop: the event was caused by this workflow' });
  });

  it('stops A → B → A at the second A, and lets A → B → C go on', () => {
    expect(loopVerdict(b, { workflowId: a, runId: 'r1', chain: [a] })).toEqual({ run: true, chain: [a, b] });
    const back = loopVerdict(a, { workflowId: b, runId: 'r2', chain: [a, b] });
    expect(back.run).toBe(false);
    expect(back).toMatchObject({ reason: expect.stringContaining('already ran earlier in the chain') });
    expect(loopVerdict(c, { workflowId: b, runId: 'r2', chain: [a, b] })).toEqual({ run: true, chain: [a, b, c] });
  });

  it(`stops a chain of ${MAX_CHAIN_DEPTH} different workflows`, () => {
    const chain = Array.from({ length: MAX_CHAIN_DEPTH }, (_, i) => `wf-${i}`);
    const verdict = loopVerdict('wf-new', { workflowId: chain.at(-1)!, runId: 'r', chain });
    expect(verdict).toMatchObject({ run: false, reason: expect.stringContaining('chain too deep') });
  });

  it('reads the origin a workflow’s write put in its event, and ignores malformed ones', () => {
    const origin = { workflowId: a, runId: 'r1', chain: [a] };
    expect(originOf({ id: 'lead', origin })).toEqual(origin);
    expect(originOf({ id: 'lead' })).toBeNull();
    expect(originOf({ origin: { workflowId: a } })).toBeNull();
    expect(originOf(null)).toBeNull();
  });
});

describe('the record an event is about', () => {
  const aggregateId = 'agg';

  it('is the payload of a creation, without a workflow origin', () => {
    const subject = subjectOf({
      type: 'lead.created',
      aggregateId: 'l1',
      payload: { id: 'l1', source: 'web', origin: { x: 1 } },
    });
    expect(subject).toEqual({ record: { id: 'l1', source: 'web' }, actsOn: { entity: 'lead', id: 'l1' } });
  });

  it('is the record and its changes for an update', () => {
    const payload = { deal: { id: 'd1', amount: 5 }, changes: { amount: [1, 5] } };
    expect(subjectOf({ type: 'deal.updated', aggregateId: 'd1', payload })).toEqual({
      record: payload.deal,
      changes: payload.changes,
      actsOn: { entity: 'deal', id: 'd1' },
    });
  });

  it('is the deal with the reason for deal.won, and the payload for a stage change', () => {
    const won = subjectOf({ type: 'deal.won', aggregateId: 'd1', payload: { deal: { id: 'd1' }, reason: 'Price' } });
    expect(won).toEqual({ record: { id: 'd1', reason: 'Price' }, actsOn: { entity: 'deal', id: 'd1' } });
    const moved = { dealId: 'd1', fromStageId: 's1', toStageId: 's2' };
    expect(subjectOf({ type: 'deal.stage_changed', aggregateId: 'd1', payload: moved })).toEqual({
      record: moved,
      actsOn: { entity: 'deal', id: 'd1' },
    });
  });

  it('acts on the lead a form submission created, and on no record after a deletion or for a company', () => {
    const submission = { id: 's1', formId: 'f1', leadId: 'l9', origin: 'https://shop.example' };
    expect(subjectOf({ type: 'form.submitted', aggregateId: 's1', payload: submission })).toEqual({
      record: submission,
      actsOn: { entity: 'lead', id: 'l9' },
    });
    expect(subjectOf({ type: 'lead.deleted', aggregateId, payload: { leadId: 'agg' } })?.actsOn).toBeNull();
    expect(subjectOf({ type: 'company.created', aggregateId, payload: { id: 'agg' } })).toEqual({
      record: { id: 'agg' },
      actsOn: null,
    });
  });

  it('is nothing for an event workflows do not start on, or a payload without its record', () => {
    expect(subjectOf({ type: 'pipeline.created', aggregateId, payload: { id: 'p' } })).toBeNull();
    expect(subjectOf({ type: 'lead.updated', aggregateId, payload: { changes: {} } })).toBeNull();
  });
});
