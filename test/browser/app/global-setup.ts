import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startApp, warmUp } from './support.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The edge URL of the one app every web-app suite drives (each signs up organizations of its own). */
    appUrl: string;
    /** Its data folder: `logs/region-us.log` holds the emails it "sent" (the log transport, no SMTP_URL). */
    appDataDir: string;
  }
}

/**
 * One app, as `npm start` starts it, for all the web-app suites: a fresh start runs every migration on a fresh
 * data folder, which costs a loaded two-core machine minutes, so the suites share it instead of starting one each.
 */
export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(join(tmpdir(), 'crm-browser-app-'));
  const app = await startApp(dataDir);
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
