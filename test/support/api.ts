/** A small client for the edge, as an API user calls it. */
export type Reply<T = any> = { status: number; data: T; headers: Headers };

export type CallOptions = { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> };

export function apiClient(base: string) {
  let counter = 0;
  const stamp = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

  async function call<T = any>(method: string, path: string, options: CallOptions = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const hasBody = options.body !== undefined || options.raw !== undefined;
    if (hasBody) headers['content-type'] ??= 'application/json';
    const response = await fetch(base + path, {
      method,
      headers,
      body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    const text = await response.text();
    let data: unknown = text;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: the text itself is the data
    }
    return { status: response.status, data: data as T, headers: response.headers };
  }

  /** A unique email/name per call, so suites sharing a real database never collide. */
  const unique = (tag: string) => `${tag}-${stamp}-${++counter}`;

  async function signup(tag: string, extra: Record<string, unknown> = {}) {
    const id = unique(tag);
    const reply = await call('POST', '/api/v1/auth/signup', {
      body: { organization: `Org ${id}`, email: `${id}@example.com`, password: `Corr3ct-Horse-${id}!`, ...extra },
    });
    if (reply.status !== 201) throw new Error(`signup ${tag}: ${reply.status} ${JSON.stringify(reply.data)}`);
    return {
      token: reply.data.accessToken as string,
      refreshToken: reply.data.refreshToken as string,
      user: reply.data.user as { id: string; email: string },
      organization: reply.data.organization as { id: string; homeRegion: string },
      password: `Corr3ct-Horse-${id}!`,
    };
  }

  /** Invites a user with a role and has them accept, returning their session. */
  async function member(adminToken: string, role: string, tag = role) {
    const email = `${unique(tag)}@example.com`;
    const invited = await call('POST', '/api/v1/users', { token: adminToken, body: { email, role } });
    if (invited.status !== 201) throw new Error(`invite ${role}: ${invited.status} ${JSON.stringify(invited.data)}`);
    const password = `Corr3ct-Horse-${unique('pw')}!`;
    const accepted = await call('POST', '/api/v1/auth/accept-invite', {
      body: { token: invited.data.inviteToken, password },
    });
    if (accepted.status !== 200) throw new Error(`accept ${role}: ${accepted.status} ${JSON.stringify(accepted.data)}`);
    return { token: accepted.data.accessToken as string, user: accepted.data.user as { id: string }, email, password };
  }

  return { call, signup, member, unique };
}
