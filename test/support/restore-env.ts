import { afterAll } from 'vitest';

/**
 * The suites share a worker's modules (`isolate: false`), so what one file sets in `process.env` for the stack it
 * starts (an SMTP server, a faster poll) would still be set for the next file in that worker. Each file gets the
 * environment back as it found it.
 */
const before = { ...process.env };

afterAll(() => {
  for (const name of Object.keys(process.env)) if (!(name in before)) delete process.env[name];
  Object.assign(process.env, before);
});
