import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { documentPath } from './generate.ts';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const redocly = join(root, 'node_modules', '.bin', 'redocly');

type Problem = { ruleId: string; severity: 'error' | 'warn'; message: string; location: { pointer: string }[] };
type Report = { totals: { errors: number; warnings: number }; problems: Problem[] };

/** Runs `redocly lint` with redocly.yaml, offline: no telemetry, no update check. */
function lint(file: string): Report {
  const run = spawnSync(redocly, ['lint', file, '--config', join(root, 'redocly.yaml'), '--format=json'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
  });
  if (run.error) throw run.error;
  try {
    return JSON.parse(run.stdout) as Report;
  } catch {
    throw new Error(`redocly lint printed no report (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
}

const describeProblems = (problems: Problem[]) =>
  problems.map((p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer ?? '?'}: ${p.message}`).join('\n');

describe('redocly lint of the committed OpenAPI document', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'crm-openapi-lint-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('has no errors under redocly.yaml', () => {
    const report = lint(documentPath);
    const warnings = report.problems.filter((p) => p.severity !== 'error');
    // Warnings do not fail the suite (rules that matter are errors in redocly.yaml), but they should be seen.
    if (warnings.length > 0) console.warn(`redocly lint warnings:\n${describeProblems(warnings)}`);
    const errors = report.problems.filter((p) => p.severity === 'error');
    expect(describeProblems(errors), 'fix the route definitions, then `npm run openapi`').toBe('');
  });

  // Without this, a redocly.yaml that failed to load would leave the built-in defaults, which pass far more.
  it('applies the project rules: a body without an example or an operation without a 4xx is an error', () => {
    const document = JSON.parse(readFileSync(documentPath, 'utf8'));
    const createLead = document.paths['/api/v1/leads'].post;
    delete createLead.requestBody.content['application/json'].example;
    delete createLead.description;
    const listUsers = document.paths['/api/v1/users'].get;
    for (const status of Object.keys(listUsers.responses))
      if (status.startsWith('4')) delete listUsers.responses[status];
    const broken = join(scratch, 'broken.json');
    writeFileSync(broken, JSON.stringify(document));

    const errors = lint(broken).problems.filter((p) => p.severity === 'error');
    expect(errors.map((p) => p.ruleId).sort()).toEqual([
      'operation-4xx-response',
      'operation-description',
      'rule/media-type-has-example',
    ]);
  });
});
