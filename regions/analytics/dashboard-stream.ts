import { sql } from 'drizzle-orm';
import type { Principal } from '../../edge/protocol/principal.ts';
import type { RegionContext } from '../context.ts';
import type { ReportScope } from './access.ts';
import { type DashboardSnapshot, readDashboard, sameFigures } from './dashboard.ts';
import { rows } from './sql.ts';

export type DashboardStreamSettings = {
  /** How often an organization's recent outbox is looked at for writes, once per organization per process. */
  pollMs: number;
  /** Figures are read again at least this often, for what changes with the clock (a task falls due, a new day). */
  refreshMs: number;
  heartbeatMs: number;
  maxMs: number;
  retryMs: number;
};

function milliseconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = Number(env[name]);
  return env[name] && Number.isFinite(value) && value > 0 ? value : fallback;
}

/** DASHBOARD_STREAM_POLL_MS, _REFRESH_MS, _HEARTBEAT_MS and _MAX_MS, or 1 s, 60 s, 15 s and 5 min. */
export function dashboardStreamSettings(env: NodeJS.ProcessEnv = process.env): DashboardStreamSettings {
  return {
    pollMs: milliseconds(env, 'DASHBOARD_STREAM_POLL_MS', 1_000),
    refreshMs: milliseconds(env, 'DASHBOARD_STREAM_REFRESH_MS', 60_000),
    heartbeatMs: milliseconds(env, 'DASHBOARD_STREAM_HEARTBEAT_MS', 15_000),
    maxMs: milliseconds(env, 'DASHBOARD_STREAM_MAX_MS', 300_000),
    retryMs: 3_000,
  };
}

/**
 * How far back the watcher looks. A write's outbox id (UUIDv7) is taken before it commits, so a slow transaction
 * may appear with an id below ones already seen; every id in the window is remembered, so it is still noticed.
 */
const WINDOW_MS = 120_000;
const WINDOW_ROWS = 500;

/** The smallest UUIDv7 made at `ms`: ids compare bytewise, so `id >= floor` means "made at or after ms". */
export function uuidFloor(ms: number): string {
  const hex = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0').slice(-12);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-0000-0000-000000000000`;
}

type Watch = { listeners: Set<() => void>; stop: () => void };

/**
 * One watcher per organization in this process, shared by all of its open dashboards: every write inserts an
 * outbox row in its own transaction (regions/support/record.ts), whichever process made it, so a new id among the
 * organization's recent outbox rows means its data changed. A stream only reads its figures when told so.
 */
export function createChangeHub(ctx: RegionContext, pollMs: number) {
  const watches = new Map<string, Watch>();

  function start(organizationId: string): Watch {
    const listeners = new Set<() => void>();
    // Before the first look, ids made since the watch began are news (a write right after a stream's first read).
    let seen: Set<string> | null = null;
    const since = uuidFloor(Date.now());
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const recent = await ctx.shards.withTenant(organizationId, (tx) =>
          rows<{ id: string }>(
            tx,
            sql`SELECT id::text AS id FROM outbox
              WHERE organization_id = ${organizationId} AND id >= ${uuidFloor(Date.now() - WINDOW_MS)}::uuid
              ORDER BY id DESC LIMIT ${WINDOW_ROWS}`,
          ),
        );
        const ids = new Set(recent.map((r) => r.id));
        const changed = [...ids].some((id) => (seen ? !seen.has(id) : id >= since));
        seen = ids;
        if (changed && !stopped) for (const listener of listeners) listener();
      } catch (err) {
        ctx.log.warn({ err, organizationId }, 'dashboard change watch failed; trying again');
      }
      if (!stopped) timer = setTimeout(tick, pollMs);
    };
    void tick();
    return {
      listeners,
      stop() {
        stopped = true;
        clearTimeout(timer);
      },
    };
  }

  return {
    /** Calls `listener` after each write to the organization until the returned function is called. */
    subscribe(organizationId: string, listener: () => void): () => void {
      let watch = watches.get(organizationId);
      if (!watch) {
        watch = start(organizationId);
        watches.set(organizationId, watch);
      }
      watch.listeners.add(listener);
      return () => {
        const current = watches.get(organizationId);
        if (!current) return;
        current.listeners.delete(listener);
        if (current.listeners.size === 0) {
          current.stop();
          watches.delete(organizationId);
        }
      };
    },
    /** Organizations watched now (one each, however many streams are open). */
    watched: () => watches.size,
  };
}

export type ChangeHub = ReturnType<typeof createChangeHub>;

const hubs = new WeakMap<RegionContext, ChangeHub>();
/** The region process's hub (one per context, so test stacks with several regions keep theirs apart). */
export function changeHubOf(ctx: RegionContext, pollMs: number): ChangeHub {
  let hub = hubs.get(ctx);
  if (!hub) {
    hub = createChangeHub(ctx, pollMs);
    hubs.set(ctx, hub);
  }
  return hub;
}

const encoder = new TextEncoder();
let running = 0;
/** Dashboard streams this process is serving now. */
export const openDashboardStreamCount = () => running;

/**
 * The dashboard as Server-Sent Events: a snapshot at once, then a fresh one after each change to the
 * organization whose figures differ from the last sent, and at least every `refreshMs`. The first snapshot is
 * read before answering, so a failure is an error response rather than a stream that ends at once. The stream
 * ends when the client leaves, after `maxMs`, or if the database fails.
 */
export async function openDashboardStream(
  ctx: RegionContext,
  hub: ChangeHub,
  principal: Principal,
  scope: ReportScope,
  signal: AbortSignal | undefined,
  settings: DashboardStreamSettings,
): Promise<ReadableStream<Uint8Array>> {
  let last: DashboardSnapshot = await readDashboard(ctx, principal, scope);
  let stopped = false;
  let cancelled = false;
  let dirty = false;
  let wake: (() => void) | null = null;
  const nudge = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const stop = () => {
    stopped = true;
    nudge();
  };
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  async function run(controller: ReadableStreamDefaultController<Uint8Array>) {
    const write = (text: string) => controller.enqueue(encoder.encode(text));
    const send = (snapshot: DashboardSnapshot) => write(`event: snapshot\ndata: ${JSON.stringify(snapshot)}\n\n`);
    const endAt = Date.now() + settings.maxMs;
    let lastWrite = Date.now();
    let lastRead = Date.now();
    running++;
    const unsubscribe = hub.subscribe(scope.organizationId, () => {
      dirty = true;
      nudge();
    });
    try {
      write(`retry: ${settings.retryMs}\n\n`);
      send(last);
      while (!stopped && Date.now() < endAt) {
        if (dirty || Date.now() - lastRead >= settings.refreshMs) {
          // Changes that arrive while this read runs set `dirty` again and are read on the next turn.
          dirty = false;
          lastRead = Date.now();
          const fresh = await readDashboard(ctx, principal, scope);
          if (stopped) break;
          if (!sameFigures(fresh, last)) {
            send(fresh);
            lastWrite = Date.now();
          }
          last = fresh;
          continue;
        }
        if (Date.now() - lastWrite >= settings.heartbeatMs) {
          write(': keep-alive\n\n');
          lastWrite = Date.now();
        }
        const untilRefresh = lastRead + settings.refreshMs - Date.now();
        const untilBeat = lastWrite + settings.heartbeatMs - Date.now();
        await pause(Math.max(0, Math.min(untilRefresh, untilBeat, endAt - Date.now())));
      }
    } catch (err) {
      if (!stopped) ctx.log.warn({ err, organizationId: scope.organizationId }, 'dashboard stream ended by an error');
    } finally {
      running--;
      unsubscribe();
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
