import { buildWeb } from '../web/build.ts';
import { type ChildExit, startStack } from './stack.ts';

/** `npm start`: the edge and every region on embedded defaults (or the servers the environment names). */
const regions = (process.env.REGION_NAMES ?? 'us,eu,ap')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const regionPorts = (process.env.REGION_PORTS ?? '8801,8802,8803').split(',').map(Number);
const dataDir = process.env.DATA_DIR ?? 'data';

const clean = (exit: ChildExit) => exit.code === 0;
const describe = (exit: ChildExit) =>
  `${exit.name} (pid ${exit.pid ?? '?'}) ${exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`}`;

// Installed before the slow start, so Ctrl-C (or a SIGTERM from a supervisor) while regions open their databases
// still stops the ones already running instead of leaving them behind.
const starting = new AbortController();
let stack: Awaited<ReturnType<typeof startStack>> | undefined;
let stopping = false;
async function stop(reason: string, failed = false) {
  if (stopping) return;
  stopping = true;
  if (!stack) {
    starting.abort();
    return;
  }
  console.log(`stopping (${reason})`);
  const exits = await stack.stop();
  for (const exit of exits) console.log(`stopped ${describe(exit)}`);
  process.exit(failed || !exits.every(clean) ? 1 : 0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

// The web app's stylesheet and island scripts, fresh from the sources (the edge serves them from memory).
await buildWeb().catch((error: Error) => {
  console.error(`web build failed: ${error.message}`);
  process.exit(1);
});

stack = await startStack({
  dataDir,
  regions,
  edgePort: Number(process.env.EDGE_PORT ?? 8787),
  regionPorts,
  env: process.env,
  signal: starting.signal,
  // Ctrl-C in a terminal signals every process in the group, so a child may finish (cleanly) before this one
  // hears of it; only a child that failed makes the whole stop a failure.
  onUnexpectedExit: (exit) => {
    if (!clean(exit)) console.error(`${describe(exit)} ended on its own; stopping the rest`);
    void stop(`${exit.name} ended`, !clean(exit));
  },
}).catch((error: Error) => {
  if (stopping) console.log('stopped before the stack was up');
  else console.error(error.message);
  process.exit(stopping ? 130 : 1);
});

console.log(`edge ${stack.edge}`);
for (const [name, url] of Object.entries(stack.regions)) console.log(`region ${name} ${url}`);
console.log(`data and logs in ${dataDir}/ — Ctrl-C stops everything`);
