import { and, eq, getTableColumns, inArray } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Tx } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import type { companies, contacts, deals, leads } from '../../db/schema/index.ts';
import { ApiError } from '../../openapi/errors.ts';
import { isUniqueViolation } from '../companies/domain-taken.ts';
import type { CustomFieldEntity } from '../custom-fields/values.ts';
import { type Actor, actorId } from '../support/actor.ts';
import { type ChunkChecks, chunkChecks } from './checks.ts';
import { type BatchResult, failedFrom, type MatchOn } from './outcome.ts';
import { groupBy, planChunk } from './plan.ts';
import { type Change, recordChanges } from './record-many.ts';
import type { BatchAdapter, Item } from './run.ts';

/** The tables a batch writes: every one has organizationId, id, ownerId, externalId, version and updatedAt. */
export type BatchTable = typeof leads | typeof contacts | typeof companies | typeof deals;
type Row<T extends BatchTable> = T['$inferSelect'];
type Changes = Record<string, [unknown, unknown]>;

/** What a chunk's writer works with: its transaction, actor, memoised checks and one clock for every record. */
export type Chunk = { tx: Tx; actor: Actor; checks: ChunkChecks; now: Date };

/** A value unique in the organization that a record may claim besides its key (a company's domain). */
export type Claim<I> = {
  field: string;
  valueOf(item: Item<I>): string | null | undefined;
  /** The refusal when another record holds it, as the single write answers it. */
  taken(value: string, holderId: string): ApiError;
};

/** A record to insert: its columns (beside organizationId, id, externalId, createdBy) and its audit entry. */
export type NewRecord<V> = {
  values: Record<string, unknown>;
  audit: Record<string, unknown>;
  /** Entries that follow `<entity>.created` (consent, stage history), from the stored record. */
  after?(view: V): Change[];
};

/** A matched record's change: the fields as [before, after] and the columns to write when they differ. */
export type ChangedRecord<V> = { changes: Changes; set?: Record<string, unknown>; after?(view: V): Change[] };

/** What one resource brings to the chunk engine: its table and view, and the single writes' rules for a record. */
export type BatchWriter<I, T extends BatchTable, V extends { id: string }> = {
  entity: CustomFieldEntity;
  table: T;
  view(row: Row<T>): V;
  /** Whether every member sees every record (companies), rather than sales reps only their own. */
  shared?: boolean;
  claims?: Claim<I>[];
  /** Takes the locks the single write takes before the record's own, in the same order (so no deadlock). */
  prelock?(items: Item<I>[]): Promise<void>;
  /** Checks a record as the single create does (throwing its ApiError) and builds the row. */
  create(item: Item<I>): Promise<NewRecord<V>>;
  /** Checks a record as the single PATCH does (throwing its ApiError) against the matched row. */
  update(item: Item<I>, current: Row<T>): Promise<ChangedRecord<V>>;
  /** Writes what the chunk's records queued besides their rows (a deal's stage history). */
  finish?(): Promise<void>;
};

/** The chunk writer of a resource's batch adapter: one writer per chunk, so it may keep the chunk's state. */
export function chunkWriter<I, T extends BatchTable, V extends { id: string }>(
  make: (chunk: Chunk) => BatchWriter<I, T, V>,
): BatchAdapter<I>['writeChunk'] {
  return async (tx, actor, items, matchOn) => {
    const chunk = { tx, actor, checks: chunkChecks(tx, actor.principal), now: new Date() };
    return writeChunk(chunk, make(chunk), items, matchOn);
  };
}

/**
 * Writes one chunk in its transaction: locks the rows the upsert keys match, plans each record, inserts the new
 * ones in one statement and updates the matched ones, then writes every audit row and event in two statements.
 * A record the single write would refuse fails alone, before anything of it is written.
 */
async function writeChunk<I, T extends BatchTable, V extends { id: string }>(
  chunk: Chunk,
  writer: BatchWriter<I, T, V>,
  items: Item<I>[],
  matchOn: MatchOn | null,
): Promise<BatchResult[]> {
  const { tx, actor } = chunk;
  const { principal } = actor;
  await writer.prelock?.(items);
  const keys = [...new Set(items.flatMap((item) => (item.key === undefined ? [] : [item.key])))];
  const matched = matchOn && keys.length > 0 ? await selectWhereIn(chunk, writer.table, matchOn, keys, true) : [];
  const claims = claimsOf(writer);
  const holders = await holdersOf(chunk, writer.table, claims, items);
  const plan = planChunk(
    principal,
    items,
    matchOn,
    groupBy(matched, (row) => (row as Record<string, unknown>)[matchOn!] as string | null),
    {
      what: writer.entity,
      shared: writer.shared ?? false,
      conflictOf: (item, currentId) => {
        const error = conflictOf(claims, holders, item, currentId);
        return error ? failedFrom(item.index, error) : null;
      },
    },
  );
  const results = plan.results;
  const changes: Change[] = [];
  const pending: { item: Item<I>; id: string; made: NewRecord<V> }[] = [];
  for (const item of plan.creates) {
    try {
      pending.push({ item, id: newId(), made: await writer.create(item) });
    } catch (error) {
      results.push(failedFrom(item.index, error));
    }
  }
  results.push(...(await insertAll(chunk, writer, claims, pending, changes)));
  for (const { item, current } of plan.updates) {
    try {
      results.push(await updateOne(chunk, writer, claims, item, current, changes));
    } catch (error) {
      results.push({ ...failedFrom(item.index, error), id: current.id });
    }
  }
  await writer.finish?.();
  await recordChanges(tx, actor, changes);
  return results;
}

/** Every record's externalId is unique in the organization, besides what the resource adds. */
function claimsOf<I>(writer: BatchWriter<I, BatchTable, { id: string }>): Claim<I>[] {
  const externalId: Claim<I> = {
    field: 'externalId',
    valueOf: (item) => item.externalId,
    taken: () => new ApiError(409, 'external_id_taken', `Another ${writer.entity} has this externalId`),
  };
  return [externalId, ...(writer.claims ?? [])];
}

// One generic shape for the four tables: drizzle cannot type a query over a union of tables, so the queries are
// written against one of them and their rows read back as the caller's.
const asLeads = (table: BatchTable) => table as typeof leads;

function selectWhereIn<T extends BatchTable>(chunk: Chunk, table: T, field: string, values: string[], lock: boolean) {
  const column = getTableColumns(asLeads(table))[field as keyof typeof leads.$inferSelect] as PgColumn;
  const query = chunk.tx
    .select()
    .from(asLeads(table))
    .where(and(eq(table.organizationId, chunk.actor.principal.organizationId), inArray(column, values)));
  return (lock ? query.for('update') : query) as unknown as Promise<Row<T>[]>;
}

/** Per claim, the ids of the records already holding the values the chunk claims. */
async function holdersOf<I>(chunk: Chunk, table: BatchTable, claims: Claim<I>[], items: Item<I>[]) {
  const holders = new Map<string, Map<string, string>>();
  for (const claim of claims) {
    const values = [...new Set(items.flatMap((item) => claim.valueOf(item) ?? []))];
    const rows = values.length > 0 ? await selectWhereIn(chunk, table, claim.field, values, false) : [];
    const field = claim.field as keyof Row<BatchTable>;
    holders.set(claim.field, new Map(rows.map((row) => [row[field] as string, row.id])));
  }
  return holders;
}

function conflictOf<I>(
  claims: Claim<I>[],
  holders: Map<string, Map<string, string>>,
  item: Item<I>,
  currentId: string | undefined,
): ApiError | null {
  for (const claim of claims) {
    const value = claim.valueOf(item);
    const holder = value ? holders.get(claim.field)?.get(value) : undefined;
    if (value && holder !== undefined && holder !== currentId) return claim.taken(value, holder);
  }
  return null;
}

/** The refusal of a write a concurrent writer beat to a unique value, read again now that it has committed. */
async function lostRace<I>(chunk: Chunk, table: BatchTable, claims: Claim<I>[], item: Item<I>, currentId?: string) {
  const holders = await holdersOf(chunk, table, claims, [item]);
  return (
    conflictOf(claims, holders, item, currentId) ??
    new ApiError(409, 'conflict', 'A concurrent write took a value this record must hold alone')
  );
}

/** One multi-row insert; a row a unique index refused (a concurrent writer won) fails on its own. */
async function insertAll<I, T extends BatchTable, V extends { id: string }>(
  chunk: Chunk,
  writer: BatchWriter<I, T, V>,
  claims: Claim<I>[],
  pending: { item: Item<I>; id: string; made: NewRecord<V> }[],
  changes: Change[],
): Promise<BatchResult[]> {
  if (pending.length === 0) return [];
  const { principal } = chunk.actor;
  const rows = pending.map(({ item, id, made }) => ({
    organizationId: principal.organizationId,
    id,
    ...made.values,
    externalId: item.externalId ?? null,
    createdBy: actorId(principal),
  }));
  const inserted = (await chunk.tx
    .insert(asLeads(writer.table))
    .values(rows as (typeof leads.$inferInsert)[])
    .onConflictDoNothing()
    .returning()) as unknown as Row<T>[];
  const byId = new Map(inserted.map((row) => [row.id, row]));
  const results: BatchResult[] = [];
  for (const { item, id, made } of pending) {
    const stored = byId.get(id);
    if (!stored) {
      results.push(failedFrom(item.index, await lostRace(chunk, writer.table, claims, item)));
      continue;
    }
    const view = writer.view(stored);
    const type = `${writer.entity}.created`;
    const audit = { ...made.audit, ...(item.externalId === undefined ? {} : { externalId: item.externalId }) };
    changes.push({ action: type, target: { type: writer.entity, id }, changes: audit, event: { type, payload: view } });
    changes.push(...(made.after?.(view) ?? []));
    results.push({ index: item.index, status: 'created', id });
  }
  return results;
}

/** The single PATCH's write of one matched record: only the fields sent change, versioned, audited with its event. */
async function updateOne<I, T extends BatchTable, V extends { id: string }>(
  chunk: Chunk,
  writer: BatchWriter<I, T, V>,
  claims: Claim<I>[],
  item: Item<I>,
  current: Row<T>,
  changes: Change[],
): Promise<BatchResult> {
  const asked = await writer.update(item, current);
  const changed: Changes = { ...asked.changes };
  if (item.externalId !== undefined && item.externalId !== current.externalId)
    changed.externalId = [current.externalId, item.externalId];
  if (Object.keys(changed).length === 0) return { index: item.index, status: 'unchanged', id: current.id };
  const set = {
    ...(asked.set ?? afterOf(asked.changes)),
    ...(changed.externalId ? { externalId: item.externalId } : {}),
    version: current.version + 1,
    updatedAt: chunk.now,
  };
  const { organizationId } = chunk.actor.principal;
  const table = asLeads(writer.table);
  const write = (tx: Tx) =>
    tx
      .update(table)
      .set(set)
      .where(and(eq(table.organizationId, organizationId), eq(table.id, current.id)))
      .returning() as unknown as Promise<Row<T>[]>;
  // A change to a unique value runs in a savepoint: losing it to a concurrent writer fails this record alone.
  const claiming = claims.some((claim) => claim.field in changed);
  const [row] = claiming
    ? await chunk.tx.transaction(write).catch(async (error: unknown) => {
        if (!isUniqueViolation(error)) throw error;
        throw await lostRace(chunk, writer.table, claims, item, current.id);
      })
    : await write(chunk.tx);
  const view = writer.view(row!);
  const type = `${writer.entity}.updated`;
  const payload = { [writer.entity]: view, changes: changed };
  changes.push({
    action: type,
    target: { type: writer.entity, id: current.id },
    changes: changed,
    event: { type, payload },
  });
  changes.push(...(asked.after?.(view) ?? []));
  return { index: item.index, status: 'updated', id: current.id };
}

const afterOf = (changes: Changes) =>
  Object.fromEntries(Object.entries(changes).map(([field, [, after]]) => [field, after]));
