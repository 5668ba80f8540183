import type { WorkflowCondition, WorkflowConditionGroup, WorkflowTrigger } from '../../openapi/schemas/workflows.ts';

/** A record as the API shows it (a lead, contact or deal view) and, for an update, what changed. */
export type Subject = {
  record: Record<string, unknown>;
  /** `{ field: [before, after] }` of an `*.updated` event; absent for creations. */
  changes?: Record<string, [unknown, unknown]> | null;
};

export type ConditionOutcome = {
  field: string;
  op: WorkflowCondition['op'];
  value?: unknown;
  actual: unknown;
  matched: boolean;
};

/** `source`, or `customFields.tier` one level down. */
export function fieldValue(record: Record<string, unknown>, path: string): unknown {
  const [head, key] = path.split('.', 2) as [string, string | undefined];
  const value = record[head];
  if (key === undefined) return value;
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

const empty = (v: unknown) =>
  v === null || v === undefined || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

// Text compares without regard to case: people write "Web_Form" and "web_form" for the same source.
const norm = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : v);
const same = (a: unknown, b: unknown) => norm(a) === norm(b);

/** Numbers compare as numbers; anything else (ISO dates, text) as text, which orders ISO timestamps correctly. */
function compare(actual: unknown, expected: unknown): number | null {
  if (empty(actual) || expected === null || expected === undefined) return null;
  const a = typeof actual === 'number' ? actual : typeof actual === 'string' ? actual : null;
  if (a === null) return null;
  if (typeof a === 'number' || typeof expected === 'number') {
    const x = Number(a);
    const y = Number(expected);
    return Number.isNaN(x) || Number.isNaN(y) ? null : Math.sign(x - y);
  }
  const x = String(a);
  const y = String(expected);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** One condition against the subject: what it saw and whether it held. */
export function evaluateCondition(condition: WorkflowCondition, subject: Subject): ConditionOutcome {
  const { field, op, value } = condition;
  const actual = fieldValue(subject.record, field);
  const outcome = (matched: boolean): ConditionOutcome => ({
    field,
    op,
    ...(value === undefined ? {} : { value }),
    actual: actual ?? null,
    matched,
  });
  switch (op) {
    case 'equals':
      return outcome(Array.isArray(actual) ? actual.some((a) => same(a, value)) : same(actual, value));
    case 'not_equals':
      return outcome(Array.isArray(actual) ? !actual.some((a) => same(a, value)) : !same(actual, value));
    case 'in':
      return outcome(Array.isArray(value) && value.some((v) => same(actual, v)));
    case 'contains':
      if (Array.isArray(actual)) return outcome(actual.some((a) => same(a, value)));
      return outcome(
        typeof actual === 'string' &&
          typeof value === 'string' &&
          actual.toLowerCase().includes(value.trim().toLowerCase()),
      );
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const c = compare(actual, value);
      if (c === null) return outcome(false);
      return outcome(op === 'gt' ? c > 0 : op === 'gte' ? c >= 0 : op === 'lt' ? c < 0 : c <= 0);
    }
    case 'is_empty':
      return outcome(empty(actual));
    case 'is_not_empty':
      return outcome(!empty(actual));
    case 'changed_to': {
      // Only a change that names the field counts: a lead created with the value did not change to it.
      const change = subject.changes ? changeOf(subject.changes, field) : undefined;
      return outcome(change !== undefined && !same(change[0], change[1]) && same(change[1], value));
    }
  }
}

/** The change of `field` (or of a custom field, whose change is recorded for `customFields` as a whole). */
function changeOf(changes: Record<string, [unknown, unknown]>, field: string): [unknown, unknown] | undefined {
  if (changes[field]) return changes[field];
  const [head, key] = field.split('.', 2) as [string, string | undefined];
  const whole = changes[head];
  if (!whole || key === undefined) return undefined;
  const pick = (v: unknown) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined);
  return [pick(whole[0]), pick(whole[1])];
}

export type GroupOutcome = { matched: boolean; conditions: ConditionOutcome[] };

/**
 * A group: all (or any) of its rules hold. Every condition is evaluated, even after the answer is known, so a dry
 * run can show each one.
 */
export function evaluateGroup(group: WorkflowConditionGroup | undefined, subject: Subject): GroupOutcome {
  if (!group || group.rules.length === 0) return { matched: true, conditions: [] };
  const conditions: ConditionOutcome[] = [];
  const results = group.rules.map((rule) => {
    if ('match' in rule) {
      const inner = evaluateGroup(rule, subject);
      conditions.push(...inner.conditions);
      return inner.matched;
    }
    const outcome = evaluateCondition(rule, subject);
    conditions.push(outcome);
    return outcome.matched;
  });
  const matched = group.match === 'all' ? results.every(Boolean) : results.some(Boolean);
  return { matched, conditions };
}

/**
 * Whether a trigger fires for this subject: an event trigger for an event of its type (null: any, as a dry run or a
 * schedule's scan asks), a schedule trigger for any record it scans.
 */
export function triggerMatches(trigger: WorkflowTrigger, eventType: string | null, subject: Subject): GroupOutcome {
  if (trigger.type === 'event' && eventType !== null && trigger.event !== eventType) {
    return { matched: false, conditions: [] };
  }
  return evaluateGroup(trigger.conditions, subject);
}
