import { newId } from '../../db/ids.ts';
import { answers as tcpAnswers } from '../../scripts/services.ts';
import type { RawDb } from './database.ts';
import { type LatencySummary, summarize } from './stats.ts';

export const natsUrl = (): string => process.env.BENCH_NATS_URL ?? 'nats://127.0.0.1:4222';

/** Whether a server accepts connections at a URL's host and port. */
export function answers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return tcpAnswers(hostname, Number(port));
}

/** The outbox's relay policy (migration 0008): a transaction that sets it sees and writes every organization's rows. */
const relayScope = "SELECT set_config('app.outbox_relay', 'on', true)";

/**
 * Writes `events` outbox rows of `organizations` organizations, `perTransaction` rows a multi-row INSERT and a
 * transaction, as raw SQL through one connection: the baseline the relay is compared with. Rows are shaped like
 * a `lead.updated` event (a small JSON payload) and interleave organizations, as a busy shard's outbox does.
 */
export async function seedOutbox(
  raw: RawDb,
  events: number,
  organizations: number,
  perTransaction: number,
): Promise<LatencySummary> {
  const orgs = Array.from({ length: organizations }, () => newId());
  const samples: number[] = [];
  const started = performance.now();
  for (let written = 0; written < events; written += perTransaction) {
    const n = Math.min(perTransaction, events - written);
    const values: unknown[] = [];
    const rows: string[] = [];
    for (let i = 0; i < n; i++) {
      const organizationId = orgs[(written + i) % organizations]!;
      const aggregateId = newId();
      const p = values.length;
      rows.push(`($${p + 1}, $${p + 2}, 'lead', $${p + 3}, 'lead.updated', $${p + 4})`);
      values.push(
        organizationId,
        newId(),
        aggregateId,
        JSON.stringify({ id: aggregateId, changes: { status: 'contacted' }, actorId: organizationId }),
      );
    }
    const t0 = performance.now();
    await raw.inTenant(orgs[0]!, async (query) => {
      await query(relayScope);
      await query(
        `INSERT INTO outbox (organization_id, id, aggregate_type, aggregate_id, event_type, payload) VALUES ${rows.join(',')}`,
        values,
      );
    });
    samples.push(performance.now() - t0);
  }
  const summary = summarize(samples, performance.now() - started);
  return { ...summary, perSecond: (events * 1000) / (performance.now() - started) };
}

/** Marks every outbox row unpublished again, so a second bus can be measured on the same rows. */
export async function unpublishAll(raw: RawDb): Promise<void> {
  await raw.inTenant(newId(), async (query) => {
    await query(relayScope);
    await query('UPDATE outbox SET published_at = NULL');
  });
}

/** Rows the relay has not published yet. */
export async function unpublished(raw: RawDb): Promise<number> {
  return raw.inTenant(newId(), async (query) => {
    await query(relayScope);
    const [row] = await query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL');
    return row?.n ?? 0;
  });
}
