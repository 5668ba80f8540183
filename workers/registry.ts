import { analyzerWorker } from './analyzer/index.ts';
import { automationWorker } from './automation/index.ts';
import { batchWorker } from './batch/index.ts';
import type { Worker } from './context.ts';
import { dispatchWorker } from './dispatch/index.ts';
import { emailWorker } from './email/index.ts';
import { notifyWorker } from './notify/index.ts';
import { relayWorker } from './relay/index.ts';
import { schedulerWorker } from './scheduler/index.ts';
import { searchIndexWorker } from './search-index/index.ts';
import { webhooksWorker } from './webhooks/index.ts';

/** Every worker a region can run, by the name `npm run worker -- <name>` and `WORKERS=` use. */
export const workers: readonly Worker[] = [
  relayWorker,
  searchIndexWorker,
  dispatchWorker,
  notifyWorker,
  emailWorker,
  webhooksWorker,
  batchWorker,
  automationWorker,
  analyzerWorker,
  schedulerWorker,
];

/** `WORKERS=all` (the default), `none`, or a comma-separated list of names. */
export function selectWorkers(setting: string | undefined, env: NodeJS.ProcessEnv): Worker[] {
  const value = (setting ?? 'all').trim();
  if (value === 'none') return [];
  const enabled = (w: Worker) => w.enabled?.(env) ?? true;
  if (value === 'all' || value === '') return workers.filter(enabled);
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !workers.some((w) => w.name === n));
  if (unknown.length > 0) {
    throw new Error(`WORKERS: unknown worker ${unknown.join(', ')}; known: ${workers.map((w) => w.name).join(', ')}`);
  }
  return workers.filter((w) => names.includes(w.name));
}
