import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type LatencySummary, nowMs, summarize } from './stats.ts';

/**
 * One request of a scenario; `{n}` (a counter), `{id}` (one of the scenario's ids) and `{term}` (one of its search
 * terms, URL-encoded) are filled in per request.
 */
export type LoadRequest = { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; path: string; body?: unknown };

/** What the load generator runs: connections each sending the requests in turn, as fast as answers come. */
export type LoadScenario = {
  url: string;
  connections: number;
  seconds: number;
  /** Sent but not measured first: pools filled, plans cached, JIT warm. */
  warmupSeconds: number;
  requests: LoadRequest[];
  /** Sessions handed out to the connections in turn (one user per connection). */
  tokens: string[];
  ids: string[];
  terms?: string[];
  /** Requests a second over every connection together (open model); absent, each connection goes flat out. */
  overallRate?: number;
};

export type LoadOutcome = {
  samples: number[];
  wallMs: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
};

export type LoadResult = {
  latency: LatencySummary;
  statuses: Record<string, number>;
  failures: number;
  /** What the failures were: non-2xx statuses, then timeouts and connection errors, e.g. `timeouts 400, 503 ×6`. */
  failureKinds: string;
};

const workerPath = fileURLToPath(new URL('./load-worker.ts', import.meta.url));

/** Runs a scenario with autocannon in a child process and summarises the measured responses. */
export async function runLoad(scenario: LoadScenario): Promise<LoadResult> {
  const child = fork(workerPath, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const reply = await new Promise<{ outcome?: LoadOutcome; error?: string }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as { outcome?: LoadOutcome; error?: string }));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the load generator exited (${code}) without an answer`)));
    child.send(scenario);
  });
  if (!reply.outcome) throw new Error(`the load generator failed: ${reply.error}`);
  const { samples, wallMs, statuses, errors, timeouts } = reply.outcome;
  const unexpected = Object.entries(statuses)
    .filter(([code]) => !code.startsWith('2'))
    .reduce((sum, [, count]) => sum + count, 0);
  const kinds = [
    ...Object.entries(statuses)
      .filter(([code]) => !code.startsWith('2'))
      .map(([code, count]) => `${code} ×${count}`),
    ...(timeouts ? [`timeouts ${timeouts}`] : []),
    ...(errors ? [`errors ${errors}`] : []),
  ];
  return {
    latency: summarize(samples, wallMs),
    statuses,
    failures: unexpected + errors + timeouts,
    failureKinds: kinds.join(', '),
  };
}

/**
 * The same closed loop in this process, for baselines that are not HTTP (raw `pg`): `connections` loops each
 * running `operation` one after another until the time is up; only operations begun after the warm-up count.
 */
export async function runConcurrent(
  connections: number,
  seconds: number,
  warmupSeconds: number,
  operation: (n: number) => Promise<unknown>,
): Promise<LatencySummary> {
  const samples: number[] = [];
  const started = nowMs();
  const measureFrom = started + warmupSeconds * 1000;
  const end = measureFrom + seconds * 1000;
  let counter = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (nowMs() < end) {
        const t0 = nowMs();
        await operation(++counter);
        if (t0 >= measureFrom) samples.push(nowMs() - t0);
      }
    }),
  );
  return summarize(samples, nowMs() - measureFrom);
}

/** How a result reads next to a goal: "goal p95 ≤ 4.5 ms: met" or "… OVER by 1.2 ms". */
export function goalNote(p95: number, goalMs: number): string {
  if (!Number.isFinite(p95)) return `goal p95 ≤ ${goalMs} ms: no answer inside the window (each took longer)`;
  return `goal p95 ≤ ${goalMs} ms: ${p95 <= goalMs ? 'met' : `OVER by ${(p95 - goalMs).toFixed(2)} ms`}`;
}
