/**
 * A 1,000-record batch outgrows the 1 MiB JSON limit of other routes, so exactly these routes get a larger one;
 * the body guards run before routing (edge and region alike), so they match the path themselves.
 */
export const BATCH_MAX_BODY_BYTES = 8 * 1024 * 1024;

const batchPath = /^\/api\/v1\/(leads|contacts|companies|deals)\/batch$/;

export const isBatchRequest = (method: string, path: string) => method.toUpperCase() === 'POST' && batchPath.test(path);
