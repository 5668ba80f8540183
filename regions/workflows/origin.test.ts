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
  it('is the payload of a creation, without the origin', () => {
    const subject = subjectOf({ type: 'lead.created', payload: { id: 'l1', source: 'web', origin: { x: 1 } } });
    expect(subject).toEqual({ record: { id: 'l1', source: 'web' } });
  });

  it('is the record and its changes for an update', () => {
    const payload = { deal: { id: 'd1', amount: 5 }, changes: { amount: [1, 5] } };
    expect(subjectOf({ type: 'deal.updated', payload })).toEqual({ record: payload.deal, changes: payload.changes });
  });

  it('is nothing for an event about anything else', () => {
    expect(subjectOf({ type: 'company.created', payload: { id: 'c' } })).toBeNull();
    expect(subjectOf({ type: 'lead.updated', payload: { changes: {} } })).toBeNull();
  });
});
