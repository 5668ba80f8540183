import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The repository root: the build context of every image. */
export const root = fileURLToPath(new URL('../..', import.meta.url));

export type Instruction = { keyword: string; args: string; line: number };
export type Stage = { from: string; name: string | null; instructions: Instruction[] };

/**
 * A Dockerfile as its stages and instructions: continuation lines joined, comments and blank lines dropped. Enough
 * of the grammar for the files under deploy/docker (no parser directives beyond comments, no heredocs).
 */
export function parseDockerfile(text: string): Stage[] {
  const instructions: Instruction[] = [];
  let pending = '';
  let startLine = 0;
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trimEnd();
    if (!pending && (line.trim() === '' || line.trim().startsWith('#'))) continue;
    if (pending && line.trim().startsWith('#')) continue;
    if (!pending) startLine = i + 1;
    const continued = line.endsWith('\\');
    pending += `${continued ? line.slice(0, -1) : line} `;
    if (continued) continue;
    const match = /^\s*(\w+)\s+(.*)$/s.exec(pending.trim());
    if (!match) throw new Error(`line ${startLine}: not an instruction: ${pending.trim()}`);
    instructions.push({
      keyword: match[1]!.toUpperCase(),
      args: match[2]!.trim().replace(/\s+/g, ' '),
      line: startLine,
    });
    pending = '';
  }
  if (pending) throw new Error('the Dockerfile ends inside a continued line');
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [from, as, name] = instruction.args.split(' ');
      stages.push({ from: from!, name: as?.toUpperCase() === 'AS' ? name! : null, instructions: [] });
    } else {
      const stage = stages.at(-1);
      if (!stage) throw new Error(`line ${instruction.line}: ${instruction.keyword} before any FROM`);
      stage.instructions.push(instruction);
    }
  }
  return stages;
}

/** The JSON array of an exec-form instruction (CMD, ENTRYPOINT, HEALTHCHECK … CMD); null for the shell form. */
export function execForm(args: string): string[] | null {
  if (!args.startsWith('[')) return null;
  const parsed: unknown = JSON.parse(args);
  return Array.isArray(parsed) && parsed.every((a) => typeof a === 'string') ? parsed : null;
}

/** `ENV A=1 B=2` (the only form the images use) as name → value. */
export function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { args } of stage.instructions.filter((i) => i.keyword === 'ENV')) {
    for (const pair of args.split(' ')) {
      const at = pair.indexOf('=');
      if (at <= 0) throw new Error(`ENV ${args}: use the name=value form`);
      env[pair.slice(0, at)] = pair.slice(at + 1);
    }
  }
  return env;
}

export type Copy = { sources: string[]; destination: string; fromStage: string | null };

/** Every COPY of a stage, with its --from stage when it copies out of another stage. */
export function copiesOf(stage: Stage): Copy[] {
  return stage.instructions
    .filter((i) => i.keyword === 'COPY')
    .map(({ args }) => {
      const parts = args.split(' ');
      const flags = parts.filter((p) => p.startsWith('--'));
      const paths = parts.filter((p) => !p.startsWith('--'));
      const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length) ?? null;
      return { sources: paths.slice(0, -1), destination: paths.at(-1)!, fromStage: from };
    });
}

/** Whether a context path is among (or inside) the COPY sources. */
export function copiedBy(path: string, sources: string[]): boolean {
  return sources.some((source) => {
    const clean = source.replace(/^\.\//, '').replace(/\/$/, '');
    return clean === '.' || path === clean || path.startsWith(`${clean}/`);
  });
}

/** .dockerignore patterns (Go filepath.Match with `**`), each as a test of a context-relative path. */
export function dockerignore(text: string): (path: string) => boolean {
  const patterns = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  if (patterns.some((p) => p.startsWith('!'))) throw new Error('exceptions (!) are not handled here');
  const regexes = patterns.map((pattern) => {
    const source = pattern
      .replace(/^\.?\//, '')
      .replace(/\/$/, '')
      .split(/(\*\*\/|\*|\?)/)
      .map((part) => {
        if (part === '**/') return '(?:.*/)?';
        if (part === '*') return '[^/]*';
        if (part === '?') return '[^/]';
        return part.replace(/[.+^${}()|[\]\\]/g, '\\$&');
      })
      .join('');
    // A pattern that names a folder excludes everything under it.
    return new RegExp(`^${source}(?:/.*)?$`);
  });
  return (path: string) => regexes.some((r) => r.test(path));
}

export type ImportGraph = {
  /** Repository files the entries load, relative to the root. */
  files: string[];
  /** npm packages imported (by package name; Node builtins left out). */
  packages: string[];
  /** Folders and files read at run time through `new URL('…', import.meta.url)`, relative to the root. */
  assets: string[];
};

const builtins = new Set(builtinModules);

const packageName = (specifier: string) =>
  specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;

/**
 * What running `entries` loads, found the way esbuild resolves it (packages left external): the files an image
 * must hold, the packages `npm ci` must install, and the folders the code reads beside itself (migrations).
 */
export async function importGraph(entries: string[], platform: 'node' | 'browser' = 'node'): Promise<ImportGraph> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: entries,
    bundle: true,
    platform,
    format: 'esm',
    packages: 'external',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    write: false,
    outdir: join(root, 'dist/.import-graph'),
    metafile: true,
    logLevel: 'silent',
  });
  const files = Object.keys(result.metafile.inputs).filter((f) => !f.startsWith('node_modules/') && !f.includes(':'));
  const externals = Object.values(result.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external));
  const packages = [
    ...new Set(
      externals.map((i) => i.path).filter((p) => !p.startsWith('node:') && !p.startsWith('.') && !p.startsWith('/')),
    ),
  ]
    .map(packageName)
    .filter((name, i, all) => all.indexOf(name) === i && !builtins.has(name))
    .sort();
  const assets = new Set<string>();
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const match of text.matchAll(/new URL\(\s*['"]([^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g)) {
      const asset = relative(root, join(root, dirname(file), match[1]!));
      // `new URL('..', import.meta.url)` finds the repository root (build scripts); it is not a file to ship.
      if (asset && !asset.startsWith('..')) assets.add(asset);
    }
  }
  return { files: files.sort(), packages, assets: [...assets].sort() };
}
