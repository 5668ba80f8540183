import type { ApiCaller, ApiFailure } from './api.ts';
import type { MfaStep } from './components/mfa-step.tsx';

export type Tokens = { accessToken: string; refreshToken: string; expiresIn: number };
/** What POST /api/v1/auth/login answers: a session, or (with MFA) the challenge for the second step. */
export type LoginAnswer = (Tokens & { mfaEnrolmentRequired?: boolean }) | { mfaRequired: true; mfaToken: string };

export const isChallenge = (answer: LoginAnswer): answer is { mfaRequired: true; mfaToken: string } =>
  'mfaRequired' in answer && answer.mfaRequired === true;

type Outcome =
  | { kind: 'session'; tokens: Tokens }
  | { kind: 'step'; step: MfaStep; status: number }
  | { kind: 'expired'; error: ApiFailure; status: number };

const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

/**
 * The login page's second step, posted with the challenge token from the first: switch between the app's code and
 * a recovery code, or send the code. An expired challenge (time, used, out of tries) goes back to the password.
 */
export async function continueMfaSignIn(api: ApiCaller, form: FormData): Promise<Outcome> {
  const token = text(form, 'mfaToken');
  const intent = text(form, 'intent');
  if (intent === 'use-recovery') return { kind: 'step', step: { token, method: 'recovery' }, status: 200 };
  if (intent === 'use-code') return { kind: 'step', step: { token, method: 'code' }, status: 200 };
  const method = text(form, 'method') === 'recovery' ? 'recovery' : 'code';
  const body =
    method === 'recovery'
      ? { mfaToken: token, recoveryCode: text(form, 'recoveryCode') }
      : { mfaToken: token, code: text(form, 'code') };
  const answer = await api<Tokens>('/api/v1/auth/login/mfa', { method: 'POST', body });
  if (answer.ok) return { kind: 'session', tokens: answer.data };
  if (answer.error.code === 'mfa_challenge_expired') return { kind: 'expired', error: answer.error, status: 401 };
  return { kind: 'step', step: { token, method, error: answer.error }, status: answer.status };
}
