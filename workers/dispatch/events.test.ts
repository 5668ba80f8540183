import { describe, expect, it } from 'vitest';
import type { BusEvent } from '../../regions/events/bus.ts';
import { leadsToDispatch } from './dispatch.ts';

const event = (type: string, payload: unknown): BusEvent => ({
  id: '0193a5f6-0000-7000-8000-000000000001',
  type,
  organizationId: '0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e',
  region: 'us',
  aggregateType: type.split('.')[0]!,
  aggregateId: '0193a5f4-3c4d-7e5f-8a6b-7c8d9e0f1a2b',
  occurredAt: '2026-11-27T11:45:00.000Z',
  payload,
});

describe('leadsToDispatch', () => {
  it('takes a created lead without an owner, and leaves one created with an owner alone', () => {
    expect(leadsToDispatch(event('lead.created', { ownerId: null }))).toEqual(['0193a5f4-3c4d-7e5f-8a6b-7c8d9e0f1a2b']);
    expect(leadsToDispatch(event('lead.created', { ownerId: '0193a5f3-2b3c-7d4e-9f5a-6b7c8d9e0f1a' }))).toEqual([]);
  });

  it("takes the leads an import batch created, and nothing from other imports' batches", () => {
    expect(leadsToDispatch(event('import.progress', { entity: 'lead', createdIds: ['a', 'b', 3] }))).toEqual([
      'a',
      'b',
    ]);
    expect(leadsToDispatch(event('import.progress', { entity: 'contact', createdIds: ['a'] }))).toEqual([]);
    expect(leadsToDispatch(event('import.progress', { entity: 'lead' }))).toEqual([]);
  });

  it('ignores every other event', () => {
    expect(leadsToDispatch(event('lead.updated', { ownerId: null }))).toEqual([]);
    expect(leadsToDispatch(event('contact.created', null))).toEqual([]);
  });
});
