import { publicOperations } from './catalog.ts';
import type { UploadKind } from './operation.ts';

const uploadRoutes = publicOperations.flatMap(({ route, upload }) =>
  upload
    ? [
        {
          method: route.method.toUpperCase(),
          pattern: new RegExp(`^${route.path.replace(/\{\w+\}/g, '[^/]+')}$`),
          kind: upload,
        },
      ]
    : [],
);

/**
 * Which upload route a request is for, if any. The body guards run before routing (edge and region alike), so
 * they ask this to let multipart/form-data through on exactly these routes and to apply the larger size limit.
 */
export function uploadKindOf(method: string, path: string): UploadKind | null {
  const upper = method.toUpperCase();
  return uploadRoutes.find((r) => r.method === upper && r.pattern.test(path))?.kind ?? null;
}

const formRoutes = publicOperations.flatMap(({ route, form }) =>
  form
    ? [{ method: route.method.toUpperCase(), pattern: new RegExp(`^${route.path.replace(/\{\w+\}/g, '[^/]+')}$`) }]
    : [],
);

/** Whether a route also takes an application/x-www-form-urlencoded body (one-click unsubscribe, RFC 8058). */
export function acceptsFormBody(method: string, path: string): boolean {
  const upper = method.toUpperCase();
  return formRoutes.some((r) => r.method === upper && r.pattern.test(path));
}
