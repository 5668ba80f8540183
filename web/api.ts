/** One field's problem, as the error envelope's `details` carries it. */
export type FieldIssue = { path: string; message: string };
export type ApiFailure = { status: number; code: string; message: string; details: FieldIssue[] };

export type ApiResult<T> =
  | { ok: true; status: number; data: T; headers: Headers }
  | { ok: false; status: number; error: ApiFailure; headers: Headers };

export type ApiInit = { method?: string; body?: unknown; headers?: Record<string, string> };
export type ApiCaller = <T = unknown>(path: string, init?: ApiInit) => Promise<ApiResult<T>>;

/** Reads any API answer into one shape: the data, or the error envelope (or a stand-in if the body is not one). */
export async function readApiResponse<T>(response: Response): Promise<ApiResult<T>> {
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (response.ok) return { ok: true, status: response.status, data: body as T, headers: response.headers };
  const envelope = (body as { error?: Partial<ApiFailure> } | null)?.error;
  return {
    ok: false,
    status: response.status,
    headers: response.headers,
    error: {
      status: response.status,
      code: envelope?.code ?? 'http_error',
      message: envelope?.message ?? `The server answered ${response.status}`,
      details: Array.isArray(envelope?.details) ? envelope.details : [],
    },
  };
}

/** The message for one form field (`path` as the API names it), if the API complained about it. */
export function fieldError(error: ApiFailure | null | undefined, field: string): string | undefined {
  return error?.details.find((d) => d.path === field || d.path.startsWith(`${field}.`))?.message;
}

/** Errors not tied to a field the form shows: the envelope's message once. */
export function formError(error: ApiFailure | null | undefined, fields: readonly string[]): string | undefined {
  if (!error) return undefined;
  const placed = error.details.some((d) => fields.some((f) => d.path === f || d.path.startsWith(`${f}.`)));
  return placed ? undefined : error.message;
}
