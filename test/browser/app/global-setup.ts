import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { privateShards, realPostgres } from '../../support/databases.ts';
import { startApp, warmUp } from './support.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The edge URL of the one app every web-app suite drives (each signs up organizations of its own). */
    appUrl: string;
    /** Its data folder: `mail/` holds the emails it "sent" as .eml files (no SMTP_URL: the mail drop folder). */
    appDataDir: string;
  }
}

/**
 * One app, as `npm start` starts it, for all the web-app suites: a fresh start runs every migration on a fresh
 * data folder, which costs a loaded two-core machine minutes, so the suites share it instead of starting one each.
 * Where the real servers answer (always in CI) it runs on them, as a deployment would: databases of its own on
 * PostgreSQL as crm_app (the edge keeps its cache and rate limits in memory, as without Redis). Embedded PGlite serves each region's shards through
 * one connection, so on a machine running every other suite too, one long request (a batch of a thousand leads)
 * held every page behind it past the edge's region timeout.
 */
export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(join(tmpdir(), 'crm-browser-app-'));
  const app = await startApp(dataDir, await realServers());
  try {
    await warmUp(app.url);
  } catch (error) {
    await app.stop();
    throw error;
  }
  project.provide('appUrl', app.url);
  project.provide('appDataDir', dataDir);
  return async () => {
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}

async function realServers(): Promise<Record<string, string>> {
  if (!realPostgres) return {};
  // Three fresh databases: the first is the directory, the other two the region's shards.
  const [directory, ...shards] = await privateShards('browser_app', 3);
  return { DIRECTORY_URL: directory!, SHARD_URLS_US: shards.join(',') };
}
