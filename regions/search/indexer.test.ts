import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import type { BusEvent } from '../events/bus.ts';
import { indexEvent, touchedRecords } from './indexer.ts';
import type { SearchableType } from './query.ts';
import type { SearchDocument, SearchIndexer } from './typesense.ts';

/** What an external index would hold after the events, kept in memory (no Typesense server can run here). */
function recordingIndexer() {
  const documents = new Map<string, SearchDocument>();
  const indexer: SearchIndexer = {
    async put(document) {
      documents.set(`${document.type}:${document.id}`, document);
    },
    async remove(_organizationId: string, type: SearchableType, id: string) {
      documents.delete(`${type}:${id}`);
    },
  };
  return { indexer, documents };
}

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
});
afterAll(() => stack?.stop());

const event = (overrides: Partial<BusEvent>): BusEvent => ({
  id: crypto.randomUUID(),
  type: 'lead.updated',
  organizationId: crypto.randomUUID(),
  region: 'us',
  aggregateType: 'lead',
  aggregateId: crypto.randomUUID(),
  occurredAt: new Date().toISOString(),
  payload: {},
  ...overrides,
});

describe('feeding an external search index from events', () => {
  it('names the records an event touched: its own, a merged-away duplicate, an erased person', () => {
    const merged = event({ type: 'contact.merged', aggregateType: 'contact', payload: { duplicateId: 'd1' } });
    expect(touchedRecords(merged)).toEqual([
      { type: 'contact', id: merged.aggregateId },
      { type: 'contact', id: 'd1' },
    ]);
    const erased = event({
      type: 'privacy.erased',
      aggregateType: 'person',
      payload: { leadIds: ['l1'], contactIds: ['c1'] },
    });
    expect(touchedRecords(erased)).toEqual([
      { type: 'lead', id: 'l1' },
      { type: 'contact', id: 'c1' },
    ]);
    expect(touchedRecords(event({ type: 'pipeline.updated', aggregateType: 'pipeline' }))).toEqual([]);
  });

  it('indexes the record as it is now, and removes it once deleted, whatever order events come in', async () => {
    const session = await api.signup('indexer', { region: 'us' });
    const made = await api.call('POST', '/api/v1/leads', {
      token: session.token,
      body: { firstName: 'Grace', lastName: 'Hopper', email: `grace-${Date.now()}@navy.example`, company: 'Navy' },
    });
    expect(made.status).toBe(201);
    const shards = stack.regions.us!.ctx.shards;
    const { indexer, documents } = recordingIndexer();
    const created = event({ organizationId: session.organization.id, aggregateId: made.data.id, type: 'lead.created' });
    await indexEvent(shards, indexer, created);
    expect(documents.get(`lead:${made.data.id}`)).toMatchObject({
      organizationId: session.organization.id,
      title: 'Grace Hopper',
      text: expect.stringContaining('navy'),
    });
    const deleted = await api.call('DELETE', `/api/v1/leads/${made.data.id}`, { token: session.token });
    expect(deleted.status).toBe(204);
    // A late redelivery of the create finds the lead gone, so it cannot resurrect the document.
    await indexEvent(shards, indexer, created);
    expect(documents.has(`lead:${made.data.id}`)).toBe(false);
  });
});
