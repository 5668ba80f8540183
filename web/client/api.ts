import { type ApiInit, type ApiResult, readApiResponse } from '../api.ts';

/** The CSRF cookie (readable on purpose; the session cookies are not), under either name session.ts may give it. */
export function csrfToken(): string {
  for (const part of document.cookie.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === '__Host-crm_csrf' || name === 'crm_csrf') return decodeURIComponent(value.join('='));
  }
  return '';
}

/**
 * Calls /api/v1 from an island: the browser sends the session cookies itself, this adds the CSRF header the edge
 * wants on writes. A network failure becomes an error result like any other, so nothing fails silently.
 */
export async function api<T = unknown>(path: string, init: ApiInit = {}): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json', 'x-csrf-token': csrfToken(), ...init.headers };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  try {
    const response = await fetch(path, {
      method: init.method ?? 'GET',
      headers,
      credentials: 'same-origin',
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const result = await readApiResponse<T>(response);
    if (!result.ok && result.status === 401) location.assign(`/login?next=${encodeURIComponent(location.pathname)}`);
    return result;
  } catch {
    return {
      ok: false,
      status: 0,
      headers: new Headers(),
      error: { status: 0, code: 'network_error', message: 'The server could not be reached; try again', details: [] },
    };
  }
}
