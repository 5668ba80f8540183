import { bigserial, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt } from './columns.ts';

export const shardMoveStates = ['copying', 'catching_up', 'fenced', 'switched', 'cleaned', 'failed'] as const;
export type ShardMoveState = (typeof shardMoveStates)[number];

/**
 * Bucket moves between a region's shards (db/moves/), kept on the catalog shard beside `shard_maps`:
 * the state says where a move that stopped must resume (docs/operations.md).
 */
export const shardMoves = pgTable('shard_moves', {
  id: uuid('id').primaryKey(),
  region: text('region').notNull(),
  buckets: jsonb('buckets').$type<number[]>().notNull(),
  fromShard: text('from_shard').notNull(),
  toShard: text('to_shard').notNull(),
  state: text('state', { enum: shardMoveStates }).notNull(),
  /** The map version the move started from, and the one that switched the buckets. */
  baseVersion: integer('base_version').notNull(),
  mapVersion: integer('map_version'),
  lastError: text('last_error'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * Per shard: buckets this shard must not serve as it would an owned one. `departing` buckets are still served but
 * their changes are captured for the target; `moved` ones are fenced and being switched away, `left` ones were
 * cleaned up (writers of both are sent to reload the map); `incoming` ones are being copied here and are not served
 * until the switch. The outbox relay skips `moved` and `incoming` buckets, so one shard publishes each event.
 */
export const shardBucketFences = pgTable('shard_bucket_fences', {
  bucket: integer('bucket').primaryKey(),
  state: text('state', { enum: ['departing', 'moved', 'left', 'incoming'] }).notNull(),
  moveId: uuid('move_id').notNull(),
  updatedAt: updatedAt(),
});

/** Keys of rows changed in `departing` buckets while a move copies them, written by the capture trigger. */
export const shardMoveChanges = pgTable('shard_move_changes', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  tableName: text('table_name').notNull(),
  tenant: uuid('tenant').notNull(),
  key: jsonb('key').$type<Record<string, unknown>>().notNull(),
  changedAt: timestamp('changed_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
