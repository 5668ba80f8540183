import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection, Tx } from '../../../db/database.ts';
import { openPglite } from '../../../db/drivers/pglite.ts';
import { rows } from '../sql.ts';
import { mayChangeRollups, mayChangeRollupsSql } from './counted.ts';

const cases: { type: string; payload: unknown; counted: boolean }[] = [
  { type: 'lead.updated', payload: { changes: { title: ['a', 'b'] } }, counted: false },
  { type: 'lead.updated', payload: { changes: { title: ['a', 'b'], source: ['web', 'ads'] } }, counted: true },
  { type: 'lead.updated', payload: { changes: { ownerId: [null, 'x'] } }, counted: true },
  { type: 'lead.updated', payload: { changes: {} }, counted: false },
  { type: 'lead.updated', payload: { lead: {} }, counted: true },
  { type: 'lead.updated', payload: { changes: ['title'] }, counted: true },
  { type: 'lead.created', payload: { lead: {} }, counted: true },
  { type: 'lead.deleted', payload: {}, counted: true },
  { type: 'contact.updated', payload: { changes: { email: ['a', 'b'] } }, counted: false },
  { type: 'contact.deleted', payload: {}, counted: true },
  { type: 'activity.updated', payload: { changes: { subject: ['a', 'b'] } }, counted: false },
  { type: 'activity.updated', payload: { changes: { done: [false, true] } }, counted: true },
  { type: 'deal.updated', payload: { changes: { name: ['a', 'b'] } }, counted: true },
];

let db: Connection;
beforeAll(async () => {
  db = await openPglite('counted', 'memory:');
});
afterAll(() => db?.close());

describe('which events may change the roll-ups', () => {
  it('only updates that name no counted field are left out', () => {
    for (const c of cases) expect(mayChangeRollups(c), `${c.type} ${JSON.stringify(c.payload)}`).toBe(c.counted);
  });

  it('says the same in SQL, on an outbox row', async () => {
    for (const c of cases) {
      const [row] = await rows<{ counted: boolean }>(
        db.db as unknown as Tx,
        sql`SELECT ${mayChangeRollupsSql('o')} AS counted
          FROM (SELECT ${c.type}::text AS event_type, ${JSON.stringify(c.payload)}::jsonb AS payload) o`,
      );
      expect(row?.counted, `${c.type} ${JSON.stringify(c.payload)}`).toBe(c.counted);
    }
  });
});
