import { describe, expect, it } from 'vitest';
import { mapPayload, valueAt } from './mapping.ts';

describe('inbound payload mapping', () => {
  const payload = {
    lead: { email: ' ada@example.com ', name: 'Ada', age: 36 },
    answers: [{ value: 'Acme' }],
    empty: '',
  };

  it('reads dot paths through objects and array indexes, nothing else', () => {
    expect(valueAt(payload, 'lead.email')).toBe(' ada@example.com ');
    expect(valueAt(payload, 'answers.0.value')).toBe('Acme');
    expect(valueAt(payload, 'answers.x')).toBeUndefined();
    expect(valueAt(payload, 'lead.toString')).toBeUndefined();
    expect(valueAt(payload, 'missing.path')).toBeUndefined();
  });

  it('maps fields over the defaults, trimming text and leaving out empty or structured values', () => {
    const fields = mapPayload(
      payload,
      {
        email: 'lead.email',
        firstName: 'lead.name',
        company: 'answers.0.value',
        title: 'lead.age',
        phone: 'empty',
        lastName: 'lead',
      },
      { source: 'ads', company: 'Fallback' },
    );
    expect(fields).toEqual({ email: 'ada@example.com', firstName: 'Ada', company: 'Acme', title: '36', source: 'ads' });
  });
});
