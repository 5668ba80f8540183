import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

export type StackOptions = {
  dataDir: string;
  regions: string[];
  /** 0 picks free ports. */
  edgePort: number;
  regionPorts: number[];
  env: NodeJS.ProcessEnv;
};

export type RunningStack = { edge: string; regions: Record<string, string>; stop(): Promise<void> };

/** Starts a TypeScript entry as its own process and resolves with the URL it prints as `<label> http://…`. */
function launch(name: string, entry: string, env: NodeJS.ProcessEnv, logFile: string, label: RegExp) {
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, entry)], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.pipe(log);
  const url = new Promise<string>((resolveUrl, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      log.write(`${line}\n`);
      const match = label.exec(line);
      if (match) resolveUrl(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready; see ${logFile}`)));
  });
  return { child, url };
}

function stopAll(children: ChildProcess[]): Promise<void> {
  return Promise.all(
    children.map(
      (child) =>
        new Promise<void>((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
          child.once('exit', () => {
            clearTimeout(force);
            done();
          });
          child.kill('SIGTERM');
        }),
    ),
  ).then(() => undefined);
}

/**
 * The whole system as separate processes: one per region (the first also keeps the global directory unless
 * DIRECTORY_URL names a database), then the edge in front of them.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const dataDir = resolve(options.dataDir);
  const logs = join(dataDir, 'logs');
  mkdirSync(logs, { recursive: true });
  const secret = options.env.EDGE_SHARED_SECRET ?? randomBytes(32).toString('hex');
  const children: ChildProcess[] = [];
  const regionUrls: Record<string, string> = {};
  try {
    for (const [i, region] of options.regions.entries()) {
      const shardUrls = options.env[`SHARD_URLS_${region.toUpperCase().replace(/-/g, '_')}`];
      const directoryUrl = options.env.DIRECTORY_URL ?? (i === 0 ? undefined : regionUrls[options.regions[0]!]);
      const env = {
        ...options.env,
        REGION: region,
        PORT: String(options.regionPorts[i] ?? 0),
        DATA_DIR: dataDir,
        EDGE_SHARED_SECRET: secret,
        ...(shardUrls ? { SHARD_URLS: shardUrls } : {}),
        ...(directoryUrl ? { DIRECTORY_URL: directoryUrl } : {}),
      };
      const started = launch(
        `region ${region}`,
        'regions/server.ts',
        env,
        join(logs, `region-${region}.log`),
        /^region \S+ (http\S+)/,
      );
      children.push(started.child);
      regionUrls[region] = await started.url;
    }
    const edgeEnv = {
      ...options.env,
      PORT: String(options.edgePort),
      EDGE_SHARED_SECRET: secret,
      REGIONS: Object.entries(regionUrls)
        .map(([name, url]) => `${name}=${url}`)
        .join(','),
    };
    const edge = launch('edge', 'edge/node.ts', edgeEnv, join(logs, 'edge.log'), /^edge (http\S+)/);
    children.push(edge.child);
    return { edge: await edge.url, regions: regionUrls, stop: () => stopAll(children) };
  } catch (error) {
    await stopAll(children);
    throw error;
  }
}
