import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The committed OpenAPI document: the suite covers whatever it lists, so a new route is attacked without edits here. */
const documentPath = fileURLToPath(new URL('../../../openapi/openapi.json', import.meta.url));

type Schema = Record<string, any>;
export type Parameter = { name: string; in: 'path' | 'query' | 'header'; required: boolean; schema: Schema };
export type Operation = {
  /** `METHOD /path`, as the tests name it. */
  id: string;
  method: string;
  path: string;
  secured: boolean;
  parameters: Parameter[];
  /** `application/json` or `multipart/form-data`; null when the operation takes no body. */
  bodyType: string | null;
  /** The documented request body examples (a valid body to start mutating from); `{}` when none. */
  examples: unknown[];
  /** The body schema's property names, resolved through `$ref` and `allOf`. */
  properties: string[];
  /** Answers a stream (Server-Sent Events): read its head only. */
  stream: boolean;
};

let cached: { document: Schema; operations: Operation[] } | null = null;

function load() {
  if (cached) return cached;
  const document = JSON.parse(readFileSync(documentPath, 'utf8')) as Schema;
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths as Record<string, Schema>)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const content = (op.requestBody?.content ?? {}) as Record<string, Schema>;
      const bodyType = Object.keys(content)[0] ?? null;
      const media = bodyType ? content[bodyType]! : null;
      const examples = media
        ? media.example !== undefined
          ? [media.example]
          : Object.values((media.examples ?? {}) as Record<string, { value: unknown }>).map((e) => e.value)
        : [];
      const responses = Object.values((op.responses ?? {}) as Record<string, Schema>);
      operations.push({
        id: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        secured: Array.isArray(op.security) && op.security.length > 0,
        parameters: ((op.parameters ?? []) as Schema[]).map((p) => ({
          name: p.name,
          in: p.in,
          required: Boolean(p.required),
          schema: resolve(document, p.schema ?? {}),
        })),
        bodyType,
        examples: examples.length > 0 ? examples : bodyType ? [{}] : [],
        properties: media ? propertyNames(document, media.schema ?? {}) : [],
        stream: responses.some((r) => Object.keys(r.content ?? {}).includes('text/event-stream')),
      });
    }
  }
  cached = { document, operations };
  return cached;
}

/** Follows `$ref` and merges `allOf`, which is all the parameter schemas of this document use. */
export function resolve(document: Schema, schema: Schema, depth = 0): Schema {
  if (depth > 20) return schema;
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace('#/components/schemas/', '');
    return resolve(document, document.components.schemas[name] ?? {}, depth + 1);
  }
  if (Array.isArray(schema.allOf)) {
    const merged: Schema = { ...schema, allOf: undefined };
    for (const part of schema.allOf as Schema[]) Object.assign(merged, resolve(document, part, depth + 1));
    return merged;
  }
  return schema;
}

function propertyNames(document: Schema, schema: Schema): string[] {
  const resolved = resolve(document, schema);
  const names = new Set(Object.keys(resolved.properties ?? {}));
  for (const variant of [...(resolved.oneOf ?? []), ...(resolved.anyOf ?? [])] as Schema[]) {
    for (const name of Object.keys(resolve(document, variant).properties ?? {})) names.add(name);
  }
  return [...names];
}

export const operations = (): Operation[] => load().operations;

/** The path's parameters in order (`/a/{id}/b/{stageId}` → id, stageId). */
export const pathParameters = (path: string): string[] => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);

/** Fills a path's parameters; each value is URL-encoded, so hostile text stays inside its segment. */
export function fillPath(path: string, values: Record<string, string>): string {
  // A lone surrogate cannot be put in a URL at all; it goes as U+FFFD, as a browser would send it.
  const wellFormed = (s: string) =>
    s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(wellFormed(values[name] ?? '')));
}
