import type { ApiCaller, ApiFailure } from './api.ts';
import type { MfaStep } from './components/mfa-step.tsx';
import { isChallenge, type LoginAnswer, type Tokens } from './mfa-sign-in.ts';

export type SsoOutcome =
  | { kind: 'session'; tokens: Tokens }
  | { kind: 'mfa'; step: MfaStep }
  | { kind: 'failed'; error: ApiFailure; status: number };

/**
 * The end of an SSO sign-in, from the provider's redirect (OIDC) or post (SAML): the API's answer is a session, or
 * for a user with MFA the same challenge a password sign-in gives, finished on the login page's second step.
 */
export async function finishSsoSignIn(api: ApiCaller, path: string, body: Record<string, string>): Promise<SsoOutcome> {
  const answer = await api<LoginAnswer>(path, { method: 'POST', body });
  if (!answer.ok) return { kind: 'failed', error: answer.error, status: answer.status };
  if (isChallenge(answer.data)) return { kind: 'mfa', step: { token: answer.data.mfaToken, method: 'code' } };
  return { kind: 'session', tokens: answer.data };
}
