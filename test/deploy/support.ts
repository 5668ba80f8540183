import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './dockerfile.ts';

export const readText = (path: string) => readFileSync(join(root, path), 'utf8');

/**
 * The environment variables the README's tables document (a name in backticks on a table line), as tests: a name
 * with a placeholder such as `SHARD_URLS_<REGION>` documents every name of that shape.
 */
export function documentedVariables(readme = readText('README.md')): (name: string) => boolean {
  const names = new Set<string>();
  for (const line of readme.split('\n').filter((l) => l.startsWith('|'))) {
    for (const match of line.matchAll(/`([A-Z][A-Z0-9_]*(?:<[A-Z]+>)?[A-Z0-9_]*)`/g)) names.add(match[1]!);
  }
  const shapes = [...names]
    .filter((n) => n.includes('<'))
    .map((n) => new RegExp(`^${n.replace(/<[A-Z]+>/, '[A-Z][A-Z0-9_]*')}$`));
  return (name) => names.has(name) || shapes.some((shape) => shape.test(name));
}

export type ProcessKind = 'edge' | 'region' | 'worker';

/**
 * The HTTP paths each process kind answers without credentials, read from its sources: the edge's and the region's
 * `app.get('/…')` routes, and the worker's metrics server, which answers every path but /metrics with "ok".
 */
export function servedPaths(kind: ProcessKind): (path: string) => boolean {
  if (kind === 'worker') {
    const main = readText('workers/main.ts');
    const answersAll = /pathname === '\/metrics'[\s\S]{0,200}new Response\('ok'\)/.test(main);
    return (path) => path === '/metrics' || answersAll;
  }
  const source = readText(kind === 'edge' ? 'edge/app.ts' : 'regions/ops/routes.ts');
  const paths = new Set([...source.matchAll(/app\.get\('(\/[a-z./-]*)'/g)].map((m) => m[1]!));
  return (path) => paths.has(path);
}
