import { describe, expect, it } from 'vitest';
import { WorkflowActionSchema, WorkflowConditionSchema, WorkflowInput } from '../../openapi/schemas/workflows.ts';
import { evaluateCondition, evaluateGroup, type Subject, triggerMatches } from './conditions.ts';
import { fill } from './template.ts';

const lead: Subject = {
  record: {
    firstName: 'Grace',
    lastName: 'Hopper',
    source: 'Web_Form',
    country: 'US',
    score: 42,
    email: null,
    tags: ['vip', 'navy'],
    createdAt: '2026-11-25T15:06:50.000Z',
    customFields: { tier: 'gold', seats: 12 },
  },
};
const check = (field: string, op: string, value?: unknown, subject: Subject = lead) =>
  evaluateCondition(WorkflowConditionSchema.parse({ field, op, value }), subject).matched;

describe('workflow conditions', () => {
  it('compares text without regard to case, and lists by membership', () => {
    expect(check('source', 'equals', 'web_form')).toBe(true);
    expect(check('source', 'not_equals', 'web_form')).toBe(false);
    expect(check('source', 'not_equals', 'referral')).toBe(true);
    expect(check('country', 'in', ['DE', 'us'])).toBe(true);
    expect(check('country', 'in', ['DE', 'AT'])).toBe(false);
    expect(check('tags', 'contains', 'VIP')).toBe(true);
    expect(check('tags', 'equals', 'navy')).toBe(true);
    expect(check('lastName', 'contains', 'opp')).toBe(true);
    expect(check('lastName', 'contains', 'x')).toBe(false);
  });

  it('orders numbers as numbers and ISO dates as text; an empty field meets no comparison', () => {
    expect(check('score', 'gt', 41)).toBe(true);
    expect(check('score', 'gte', 42)).toBe(true);
    expect(check('score', 'lt', 42)).toBe(false);
    expect(check('score', 'lte', 42)).toBe(true);
    expect(check('customFields.seats', 'gt', 10)).toBe(true);
    expect(check('createdAt', 'lt', '2026-12-01')).toBe(true);
    expect(check('createdAt', 'gt', '2026-12-01')).toBe(false);
    expect(check('email', 'gt', 0)).toBe(false);
  });

  it('knows empty from set, one level into custom fields', () => {
    expect(check('email', 'is_empty')).toBe(true);
    expect(check('email', 'is_not_empty')).toBe(false);
    expect(check('customFields.tier', 'equals', 'GOLD')).toBe(true);
    expect(check('customFields.missing', 'is_empty')).toBe(true);
    expect(check('tags', 'is_not_empty')).toBe(true);
  });

  it('changed_to holds only for an update that set the field to the value', () => {
    const updated: Subject = { record: { status: 'qualified' }, changes: { status: ['new', 'qualified'] } };
    expect(check('status', 'changed_to', 'qualified', updated)).toBe(true);
    expect(check('status', 'changed_to', 'lost', updated)).toBe(false);
    // Created with the value, or changed elsewhere: not a change to it.
    expect(check('status', 'changed_to', 'qualified', { record: { status: 'qualified' } })).toBe(false);
    const other: Subject = { record: { status: 'qualified' }, changes: { title: ['a', 'b'] } };
    expect(check('status', 'changed_to', 'qualified', other)).toBe(false);
    const custom: Subject = {
      record: { customFields: { tier: 'gold' } },
      changes: { customFields: [{ tier: 'silver' }, { tier: 'gold' }] },
    };
    expect(check('customFields.tier', 'changed_to', 'gold', custom)).toBe(true);
  });

  it('groups: all, any, one level of nesting, every condition reported', () => {
    const group = {
      match: 'all' as const,
      rules: [
        { field: 'source', op: 'equals' as const, value: 'web_form' },
        {
          match: 'any' as const,
          rules: [
            { field: 'country', op: 'equals' as const, value: 'DE' },
            { field: 'score', op: 'gte' as const, value: 40 },
          ],
        },
      ],
    };
    const outcome = evaluateGroup(group, lead);
    expect(outcome.matched).toBe(true);
    expect(outcome.conditions.map((c) => c.matched)).toEqual([true, false, true]);
    expect(outcome.conditions[1]).toEqual({
      field: 'country',
      op: 'equals',
      value: 'DE',
      actual: 'US',
      matched: false,
    });
    expect(
      evaluateGroup({ ...group, rules: [group.rules[0]!, { ...group.rules[1]!, match: 'all' }] } as never, lead)
        .matched,
    ).toBe(false);
    expect(evaluateGroup({ match: 'any', rules: [] }, lead).matched).toBe(true);
    expect(evaluateGroup(undefined, lead).matched).toBe(true);
  });

  it('a trigger matches only its own event type', () => {
    const trigger = { type: 'event' as const, event: 'lead.created' as const };
    expect(triggerMatches(trigger, 'lead.created', lead).matched).toBe(true);
    expect(triggerMatches(trigger, 'lead.updated', lead).matched).toBe(false);
  });
});

describe('workflow definitions', () => {
  it('refuses an operator without its value, a list where one value is meant, and unknown action params', () => {
    expect(WorkflowConditionSchema.safeParse({ field: 'source', op: 'equals' }).success).toBe(false);
    expect(WorkflowConditionSchema.safeParse({ field: 'source', op: 'is_empty', value: 'x' }).success).toBe(false);
    expect(WorkflowConditionSchema.safeParse({ field: 'source', op: 'equals', value: ['a'] }).success).toBe(false);
    expect(WorkflowConditionSchema.safeParse({ field: 'source', op: 'in', value: 'a' }).success).toBe(false);
    expect(WorkflowConditionSchema.safeParse({ field: 'a.b.c', op: 'is_empty' }).success).toBe(false);
    expect(WorkflowActionSchema.safeParse({ type: 'wait', minutes: 5, extra: 1 }).success).toBe(false);
    expect(WorkflowActionSchema.safeParse({ type: 'teleport' }).success).toBe(false);
    expect(WorkflowActionSchema.safeParse({ type: 'call_webhook', url: 'ftp://x.example' }).success).toBe(false);
    expect(WorkflowActionSchema.safeParse({ type: 'notify', userId: 'record_owner', title: 'Hi' }).success).toBe(true);
    const valid = {
      name: 'x',
      trigger: { type: 'event', event: 'lead.created' },
      actions: [{ type: 'create_task', subject: 'Call' }],
    };
    expect(WorkflowInput.safeParse(valid).success).toBe(true);
    expect(WorkflowInput.safeParse({ ...valid, actions: [] }).success).toBe(false);
    expect(WorkflowInput.safeParse({ ...valid, trigger: { type: 'event', event: 'lead.deleted' } }).success).toBe(true);
    expect(WorkflowInput.safeParse({ ...valid, trigger: { type: 'event', event: 'pipeline.created' } }).success).toBe(
      false,
    );
  });

  it('fills {{fields}} from the record', () => {
    expect(fill('Call {{firstName}} {{ lastName }} ({{customFields.tier}}){{nope}}', lead.record)).toBe(
      'Call Grace Hopper (gold)',
    );
    expect(fill('{{tags}}', lead.record)).toBe('vip, navy');
  });
});
