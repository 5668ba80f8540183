import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { companies, contacts, deals, leads } from '../../db/schema/index.ts';
import type { ShardSet } from '../../db/shard-set.ts';
import type { BusEvent } from '../events/bus.ts';
import { documentOf, type SearchableRecord } from './documents.ts';
import { type SearchableType, searchableTypes } from './query.ts';
import type { SearchIndexer } from './typesense.ts';

/** The events that can change what a search finds. */
export const indexedEventTypes = [...searchableTypes.map((type) => `${type}.*`), 'privacy.erased'];

const isSearchable = (type: string): type is SearchableType => (searchableTypes as readonly string[]).includes(type);

async function loadRecord(tx: Tx, organizationId: string, type: SearchableType, id: string) {
  const inOrg = (table: typeof leads | typeof contacts | typeof companies | typeof deals) =>
    and(eq(table.organizationId, organizationId), eq(table.id, id));
  switch (type) {
    case 'lead': {
      const [row] = await tx.select().from(leads).where(inOrg(leads));
      return row ? ({ type, ...row } satisfies SearchableRecord) : null;
    }
    case 'contact': {
      const [row] = await tx.select().from(contacts).where(inOrg(contacts));
      return row ? ({ type, ...row } satisfies SearchableRecord) : null;
    }
    case 'company': {
      const [row] = await tx.select().from(companies).where(inOrg(companies));
      return row ? ({ type, ...row } satisfies SearchableRecord) : null;
    }
    case 'deal': {
      const [row] = await tx.select().from(deals).where(inOrg(deals));
      return row ? ({ type, ...row } satisfies SearchableRecord) : null;
    }
  }
}

/** The records an event touched: its aggregate, and whatever a merge removed or an erasure anonymised. */
export function touchedRecords(event: BusEvent): { type: SearchableType; id: string }[] {
  const payload = (event.payload ?? {}) as Record<string, unknown>;
  const ids = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
  if (event.type === 'privacy.erased') {
    return [
      ...ids(payload.leadIds).map((id) => ({ type: 'lead' as const, id })),
      ...ids(payload.contactIds).map((id) => ({ type: 'contact' as const, id })),
    ];
  }
  if (!isSearchable(event.aggregateType)) return [];
  const touched = [{ type: event.aggregateType, id: event.aggregateId }];
  if (typeof payload.duplicateId === 'string') touched.push({ type: event.aggregateType, id: payload.duplicateId });
  return touched;
}

/**
 * Brings an external index (Typesense) up to date for one event by reading the record as it is now, so replays,
 * duplicates and events arriving after later ones all converge on the current state.
 */
export async function indexEvent(shards: ShardSet, indexer: SearchIndexer, event: BusEvent): Promise<void> {
  const { organizationId } = event;
  for (const { type, id } of touchedRecords(event)) {
    const record = await shards.withTenant(organizationId, (tx) => loadRecord(tx, organizationId, type, id));
    if (record) await indexer.put(documentOf(organizationId, record));
    else await indexer.remove(organizationId, type, id);
  }
}
