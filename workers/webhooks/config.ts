/** How webhook deliveries are retried, timed out and given up on; every value can be set by environment. */
export type WebhookConfig = {
  /** The first retry's delay; each later one doubles (pg-boss `retryBackoff`), up to `retryDelayMaxSeconds`. */
  retryDelaySeconds: number;
  retryDelayMaxSeconds: number;
  /** How long a delivery keeps being retried: the retry limit is derived from it. */
  retryWindowSeconds: number;
  retryLimit: number;
  /** Deliveries in a row that used up their retries before the subscription is disabled. */
  disableAfter: number;
  timeoutMs: number;
  /** Private, loopback and link-local targets are refused (SSRF) unless this is set. */
  allowPrivate: boolean;
};

const positive = (value: string | undefined, fallback: number) => {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isFinite(n) && n >= 0 ? n : fallback;
};

/**
 * The retries that fit in `windowSeconds` when pg-boss waits `delay * 2^n` (n = 0, 1, …), at most `max`, before
 * retry n+1. pg-boss adds jitter (between half and the whole of that delay), so the window is an upper bound.
 * With the defaults (60 s, capped at 1 h, 24 h): 60+120+…+1920 = 3 780 s over six retries, then 22 one-hour
 * retries fill the rest: 28 retries, the last about 23.9 h after the first attempt.
 */
export function retryLimitFor(delaySeconds: number, maxSeconds: number, windowSeconds: number): number {
  if (delaySeconds <= 0) return Math.max(0, Math.floor(windowSeconds));
  let total = 0;
  let retries = 0;
  for (;;) {
    const next = Math.min(maxSeconds, delaySeconds * 2 ** Math.min(16, retries));
    if (total + next > windowSeconds) return retries;
    total += next;
    retries += 1;
  }
}

export function webhookConfig(env: NodeJS.ProcessEnv = process.env): WebhookConfig {
  const retryDelaySeconds = positive(env.WEBHOOK_RETRY_DELAY_SECONDS, 60);
  const retryDelayMaxSeconds = positive(env.WEBHOOK_RETRY_DELAY_MAX_SECONDS, 3600);
  const retryWindowSeconds = positive(env.WEBHOOK_RETRY_WINDOW_SECONDS, 24 * 3600);
  const computed = retryLimitFor(retryDelaySeconds, retryDelayMaxSeconds, retryWindowSeconds);
  return {
    retryDelaySeconds,
    retryDelayMaxSeconds,
    retryWindowSeconds,
    retryLimit: env.WEBHOOK_RETRY_LIMIT ? positive(env.WEBHOOK_RETRY_LIMIT, computed) : computed,
    disableAfter: Math.max(1, positive(env.WEBHOOK_DISABLE_AFTER, 20)),
    timeoutMs: positive(env.WEBHOOK_TIMEOUT_MS, 10_000),
    allowPrivate: env.WEBHOOKS_ALLOW_PRIVATE === 'true',
  };
}

/** pg-boss options of one delivery job: the retry policy above. */
export function deliveryJobOptions(config: WebhookConfig) {
  return {
    retryLimit: config.retryLimit,
    retryDelay: config.retryDelaySeconds,
    retryBackoff: true,
    retryDelayMax: config.retryDelayMaxSeconds,
  };
}
