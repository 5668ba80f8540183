import { startStack } from './stack.ts';

/** `npm start`: the edge and every region on embedded defaults (or the servers the environment names). */
const regions = (process.env.REGION_NAMES ?? 'us,eu,ap')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const regionPorts = (process.env.REGION_PORTS ?? '8801,8802,8803').split(',').map(Number);
const dataDir = process.env.DATA_DIR ?? 'data';

const stack = await startStack({
  dataDir,
  regions,
  edgePort: Number(process.env.EDGE_PORT ?? 8787),
  regionPorts,
  env: process.env,
}).catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});

console.log(`edge ${stack.edge}`);
for (const [name, url] of Object.entries(stack.regions)) console.log(`region ${name} ${url}`);
console.log(`data and logs in ${dataDir}/ — Ctrl-C stops everything`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await stack.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
