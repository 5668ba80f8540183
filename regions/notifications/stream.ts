import { and, asc, eq, gt } from 'drizzle-orm';
import { notificationCounters, notifications } from '../../db/schema/index.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { memberOf } from './access.ts';
import { notificationView } from './view.ts';

export type StreamSettings = {
  /** How often the member's notifications are read for new ones. */
  pollMs: number;
  /** A comment line goes out after this long without any other write, so proxies keep the connection open. */
  heartbeatMs: number;
  /** The stream ends after this long; the client reconnects with Last-Event-ID (and a token that is still valid). */
  maxMs: number;
  /** The reconnection delay the client is told to use. */
  retryMs: number;
};

function milliseconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = Number(env[name]);
  return env[name] && Number.isFinite(value) && value > 0 ? value : fallback;
}

/** NOTIFICATION_STREAM_POLL_MS, NOTIFICATION_HEARTBEAT_MS and NOTIFICATION_STREAM_MAX_MS, or 1 s, 15 s and 5 min. */
export function streamSettings(env: NodeJS.ProcessEnv = process.env): StreamSettings {
  return {
    pollMs: milliseconds(env, 'NOTIFICATION_STREAM_POLL_MS', 1_000),
    heartbeatMs: milliseconds(env, 'NOTIFICATION_HEARTBEAT_MS', 15_000),
    maxMs: milliseconds(env, 'NOTIFICATION_STREAM_MAX_MS', 300_000),
    retryMs: 3_000,
  };
}

const PAGE = 100;
const encoder = new TextEncoder();

let running = 0;
/** Streams this process is serving now (each holds a poll loop until its client leaves). */
export const openStreamCount = () => running;

/**
 * The member's notifications as Server-Sent Events, from after `lastEventId` (or from now). Every process writes
 * notifications to the database, so the stream reads it: every `pollMs` it asks for the member's notifications
 * numbered above the last one sent. Their numbers follow commit order (regions/notifications/notify.ts), so none
 * is ever passed over, whichever process created it. The stream ends when the client leaves (the runtime cancels
 * it, or the request's signal fires), after `maxMs`, or if the database fails.
 */
export async function openNotificationStream(
  ctx: RegionContext,
  { principal }: Actor,
  lastEventId: number | null,
  signal: AbortSignal | undefined,
  settings: StreamSettings,
): Promise<ReadableStream<Uint8Array>> {
  const { organizationId, userId } = memberOf(principal);
  const mine = (t: typeof notifications | typeof notificationCounters) =>
    and(eq(t.organizationId, organizationId), eq(t.userId, userId));
  // Read before answering, so a database failure is an error response rather than a stream that ends at once.
  const [counter] = await ctx.shards.withTenant(organizationId, (tx) =>
    tx.select({ lastSeq: notificationCounters.lastSeq }).from(notificationCounters).where(mine(notificationCounters)),
  );
  const current = counter?.lastSeq ?? 0;
  // A position from the future (another device, a bad client) must not hide the notifications up to it.
  let last = lastEventId === null ? current : Math.min(lastEventId, current);

  let stopped = false;
  let cancelled = false;
  let wake: (() => void) | null = null;
  const stop = () => {
    stopped = true;
    wake?.();
  };
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const fresh = () =>
    ctx.shards.withTenant(organizationId, (tx) =>
      tx
        .select()
        .from(notifications)
        .where(and(mine(notifications), gt(notifications.seq, last)))
        .orderBy(asc(notifications.seq))
        .limit(PAGE),
    );

  async function run(controller: ReadableStreamDefaultController<Uint8Array>) {
    const write = (text: string) => controller.enqueue(encoder.encode(text));
    const endAt = Date.now() + settings.maxMs;
    let lastWrite = Date.now();
    running++;
    try {
      write(`retry: ${settings.retryMs}\n\n`);
      while (!stopped && Date.now() < endAt) {
        const rows = await fresh();
        if (stopped) break;
        for (const row of rows) {
          write(`id: ${row.seq}\nevent: notification\ndata: ${JSON.stringify(notificationView(row))}\n\n`);
          last = row.seq;
          lastWrite = Date.now();
        }
        if (rows.length === PAGE) continue;
        if (Date.now() - lastWrite >= settings.heartbeatMs) {
          write(': keep-alive\n\n');
          lastWrite = Date.now();
        }
        await pause(Math.min(settings.pollMs, Math.max(0, endAt - Date.now())));
      }
    } catch (err) {
      if (!stopped) ctx.log.warn({ err, organizationId, userId }, 'notification stream ended by an error');
    } finally {
      running--;
      signal?.removeEventListener('abort', stop);
      stopped = true;
      if (!cancelled) {
        try {
          controller.close();
        } catch {
          // the client left while the stream was closing
        }
      }
    }
  }

  if (signal?.aborted) stop();
  else signal?.addEventListener('abort', stop, { once: true });
  return new ReadableStream<Uint8Array>({
    start(controller) {
      void run(controller);
    },
    cancel() {
      cancelled = true;
      stop();
    },
  });
}
