import { DEFAULT_MAX_UPLOAD_BYTES, type EdgeOptions } from './app.ts';
import { formOptionsFromEnv } from './forms/config.ts';
import { createEdgeTracing, parseOtlpHeaders } from './ops/tracing.ts';

type Env = Record<string, string | undefined>;

const positive = (value: string | undefined, fallback: number, name: string) => {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number`);
  return n;
};

/** `REGIONS=us=http://…,eu=http://…`: the first is the default unless DEFAULT_REGION says otherwise. */
export function parseRegions(text: string): Record<string, string> {
  const regions: Record<string, string> = {};
  for (const pair of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const at = pair.indexOf('=');
    const name = pair.slice(0, at).trim();
    const url = pair.slice(at + 1).trim();
    if (at <= 0 || !/^[a-z][a-z0-9-]{1,15}$/.test(name) || !/^https?:\/\//.test(url)) {
      throw new Error(`REGIONS entry "${pair}" is not name=http(s)://host:port`);
    }
    regions[name] = url;
  }
  if (Object.keys(regions).length === 0) throw new Error('REGIONS must name at least one region');
  return regions;
}

/** The edge's settings from environment variables or Worker bindings (every one is in the README). */
export function edgeOptionsFromEnv(env: Env): EdgeOptions {
  const regions = parseRegions(env.REGIONS ?? '');
  const sharedSecret = env.EDGE_SHARED_SECRET ?? '';
  if (sharedSecret.length < 32) throw new Error('EDGE_SHARED_SECRET must be set to at least 32 characters');
  const metricsToken = env.EDGE_METRICS_TOKEN || undefined;
  if (metricsToken && metricsToken.length < 24) throw new Error('EDGE_METRICS_TOKEN must be at least 24 characters');
  return {
    regions,
    defaultRegion: env.DEFAULT_REGION ?? Object.keys(regions)[0]!,
    sharedSecret,
    rateLimit: {
      perOrganization: positive(env.RATE_LIMIT_PER_MINUTE, 100, 'RATE_LIMIT_PER_MINUTE'),
      perIp: positive(env.RATE_LIMIT_IP_PER_MINUTE, 100, 'RATE_LIMIT_IP_PER_MINUTE'),
      windowSeconds: 60,
    },
    cacheTtlSeconds: positive(env.CACHE_TTL_SECONDS, 30, 'CACHE_TTL_SECONDS'),
    consistencyTokenSeconds: positive(env.CONSISTENCY_TOKEN_SECONDS, 60, 'CONSISTENCY_TOKEN_SECONDS'),
    apiKeyCacheSeconds: positive(env.API_KEY_CACHE_SECONDS, 30, 'API_KEY_CACHE_SECONDS'),
    maxBodyBytes: positive(env.MAX_BODY_BYTES, 1024 * 1024, 'MAX_BODY_BYTES'),
    maxUploadBytes: positive(env.MAX_UPLOAD_BYTES, DEFAULT_MAX_UPLOAD_BYTES, 'MAX_UPLOAD_BYTES'),
    forms: formOptionsFromEnv(env),
    // Traces only when a collector is named: unset, no tracer, middleware or header exists at all.
    tracing: env.OTEL_EXPORTER_OTLP_ENDPOINT
      ? createEdgeTracing({
          endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
          headers: parseOtlpHeaders(env.OTEL_EXPORTER_OTLP_HEADERS),
          serviceName: env.OTEL_SERVICE_NAME || 'crm-edge',
        })
      : undefined,
    ops: {
      metricsToken,
      statusCacheSeconds: positive(env.STATUS_CACHE_SECONDS, 5, 'STATUS_CACHE_SECONDS'),
      statusTimeoutMs: positive(env.STATUS_TIMEOUT_MS, 2000, 'STATUS_TIMEOUT_MS'),
    },
  };
}
