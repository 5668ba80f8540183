import { cloudflareTurnstile, disabledTurnstile, type TurnstileVerifier } from './turnstile.ts';

export type FormRouteOptions = {
  /** Submissions allowed per IP, and per form, in `windowSeconds`. */
  perIp: number;
  perForm: number;
  windowSeconds: number;
  /** Largest submission body, in bytes. */
  maxBodyBytes: number;
  /** How long the edge keeps a form's public definition (its edits through the edge drop it at once). */
  cacheSeconds: number;
  turnstile: TurnstileVerifier;
};

export const defaultFormRouteOptions: FormRouteOptions = {
  perIp: 10,
  perForm: 600,
  windowSeconds: 60,
  maxBodyBytes: 16 * 1024,
  cacheSeconds: 30,
  turnstile: disabledTurnstile,
};

const whole = (value: string | undefined, fallback: number, name: string) => {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number`);
  return n;
};

/** The form routes' settings from environment variables or Worker bindings (listed in the README). */
export function formOptionsFromEnv(env: Record<string, string | undefined>): FormRouteOptions {
  const secret = env.TURNSTILE_SECRET_KEY;
  return {
    perIp: whole(env.FORM_RATE_LIMIT_IP_PER_MINUTE, defaultFormRouteOptions.perIp, 'FORM_RATE_LIMIT_IP_PER_MINUTE'),
    perForm: whole(env.FORM_RATE_LIMIT_PER_MINUTE, defaultFormRouteOptions.perForm, 'FORM_RATE_LIMIT_PER_MINUTE'),
    windowSeconds: 60,
    maxBodyBytes: whole(env.FORM_MAX_BODY_BYTES, defaultFormRouteOptions.maxBodyBytes, 'FORM_MAX_BODY_BYTES'),
    cacheSeconds: whole(env.FORM_CACHE_SECONDS, defaultFormRouteOptions.cacheSeconds, 'FORM_CACHE_SECONDS'),
    turnstile: secret
      ? cloudflareTurnstile({ secret, url: env.TURNSTILE_SITEVERIFY_URL || undefined })
      : disabledTurnstile,
  };
}
