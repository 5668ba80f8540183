/**
 * Cloudflare Turnstile behind a port: forms that set a site key have the embed show the challenge, and the edge
 * checks its token here before a submission reaches the region.
 */
export interface TurnstileVerifier {
  /** Whether the token is a valid, unused answer to the challenge; `remoteIp` is the visitor's address, if known. */
  verify(token: string, remoteIp?: string): Promise<{ success: boolean; errorCodes: string[] }>;
}

/**
 * The default when no secret is configured (`TURNSTILE_SECRET_KEY` unset): accepts every submission, so a form
 * with a site key still works in development. Production deployments that rely on Turnstile set the secret.
 */
export const disabledTurnstile: TurnstileVerifier = {
  verify: async () => ({ success: true, errorCodes: [] }),
};

export const SITEVERIFY_URL = 'https://challenges.cloudflare.com/turnstile/v0/siteverify';

/** The real check: Cloudflare's siteverify API over fetch (Web standards, so it runs at the edge everywhere). */
export function cloudflareTurnstile(options: {
  secret: string;
  fetch?: typeof fetch;
  url?: string;
  timeoutMs?: number;
}): TurnstileVerifier {
  const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  return {
    async verify(token, remoteIp) {
      // An empty or oversized token is no answer (Cloudflare's tokens are at most 2048 characters); asking would
      // only spend a call.
      if (!token || token.length > 2048) return { success: false, errorCodes: ['missing-input-response'] };
      const body = new URLSearchParams({ secret: options.secret, response: token });
      if (remoteIp) body.set('remoteip', remoteIp);
      try {
        const response = await fetchImpl(options.url ?? SITEVERIFY_URL, {
          method: 'POST',
          body,
          signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
        });
        if (!response.ok) return { success: false, errorCodes: [`http-${response.status}`] };
        const answer = (await response.json()) as { success?: unknown; 'error-codes'?: unknown };
        const errorCodes = Array.isArray(answer['error-codes']) ? answer['error-codes'].map(String) : [];
        return { success: answer.success === true, errorCodes };
      } catch {
        // Unreachable or slow: refuse (fail closed), the visitor can submit again.
        return { success: false, errorCodes: ['siteverify-unavailable'] };
      }
    },
  };
}
