/**
 * What the public status page shows: each region's liveness (`/health`) and readiness (`/ready`), asked in
 * parallel, each with a short timeout. Only whether each answered and how: never a region's address, nor the
 * reasons `/ready` gives (shard names, driver errors), which describe the inside of the deployment.
 */

export type Check = { state: 'up' | 'down'; httpStatus: number | null; latencyMs: number };
export type RegionStatus = {
  region: string;
  /** `up` answering, `down` not; `ready` when it is up and every shard answers with migrations current. */
  state: 'ready' | 'not_ready' | 'down';
  health: Check;
  ready: Check;
};
export type StatusReport = {
  /** `operational` every region ready, `degraded` some, `down` none. */
  overall: 'operational' | 'degraded' | 'down';
  checkedAt: string;
  regions: RegionStatus[];
};

export type StatusOptions = {
  regions: Record<string, string>;
  fetch: typeof fetch;
  /** Each probe's limit; a region slower than this is down for the page. */
  timeoutMs: number;
  /** How long one round of probes answers every visitor, so the page cannot be used to flood the regions. */
  cacheSeconds: number;
  now?: () => number;
};

/** One GET that settles within the timeout whatever the region does: answered, refused, or silent. */
async function probe(fetchImpl: typeof fetch, url: string, timeoutMs: number): Promise<Check> {
  const started = Date.now();
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<null>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve(null);
    }, timeoutMs);
  });
  try {
    const response = await Promise.race([
      fetchImpl(url, { signal: controller.signal, headers: { accept: 'application/json' } }).then(async (r) => {
        // Read (and drop) the body so the connection is released.
        await r.arrayBuffer().catch(() => undefined);
        return r;
      }),
      timedOut,
    ]);
    const latencyMs = Date.now() - started;
    if (!response) return { state: 'down', httpStatus: null, latencyMs };
    return { state: response.status === 200 ? 'up' : 'down', httpStatus: response.status, latencyMs };
  } catch {
    return { state: 'down', httpStatus: null, latencyMs: Date.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

async function regionStatus(options: StatusOptions, region: string, base: string): Promise<RegionStatus> {
  const url = (path: string) => new URL(path, base.endsWith('/') ? base : `${base}/`).toString();
  const [health, ready] = await Promise.all([
    probe(options.fetch, url('health'), options.timeoutMs),
    probe(options.fetch, url('ready'), options.timeoutMs),
  ]);
  const state = health.state === 'down' ? 'down' : ready.state === 'up' ? 'ready' : 'not_ready';
  return { region, state, health, ready };
}

/**
 * The probes behind `/status`: every caller within `cacheSeconds` of a round gets that round's answer (callers
 * during a round share it rather than start their own), so the regions see at most one round per period.
 */
export function createStatusProbe(options: StatusOptions): () => Promise<StatusReport> {
  const now = options.now ?? Date.now;
  let last: { at: number; report: Promise<StatusReport> } | undefined;

  async function round(): Promise<StatusReport> {
    const regions = await Promise.all(
      Object.entries(options.regions).map(([region, base]) => regionStatus(options, region, base)),
    );
    const ready = regions.filter((r) => r.state === 'ready').length;
    const overall = ready === regions.length ? 'operational' : ready === 0 ? 'down' : 'degraded';
    return { overall, checkedAt: new Date(now()).toISOString(), regions };
  }

  return () => {
    const at = now();
    if (!last || at - last.at >= options.cacheSeconds * 1000) last = { at, report: round() };
    return last.report;
  };
}
