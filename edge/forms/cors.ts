/**
 * CORS for a form's public routes: only the exact origins the admin listed get an answer they may read, never a
 * reflected wildcard. `Vary: Origin` keeps a shared cache from handing one site's answer to another.
 */
export function corsHeaders(origin: string): Record<string, string> {
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Credentials': 'false',
    Vary: 'Origin',
  };
}

export const preflightHeaders = (origin: string): Record<string, string> => ({
  ...corsHeaders(origin),
  'Access-Control-Allow-Methods': 'POST',
  'Access-Control-Allow-Headers': 'content-type, accept',
  'Access-Control-Max-Age': '600',
});

export const isAllowedOrigin = (origin: string | undefined, allowed: readonly string[]): origin is string =>
  origin !== undefined && allowed.includes(origin);
