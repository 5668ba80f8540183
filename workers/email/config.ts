/** The email settings, read from the environment (every variable is listed in the README). */
export type EmailConfig = {
  /** `smtp://user:pass@host:port` or `smtps://…`; unset: the log transport, which sends nothing. */
  smtpUrl: string | null;
  /**
   * Without SMTP, where each message is written as an `.eml` file for a developer to open (`MAIL_DROP_DIR`,
   * default `$DATA_DIR/mail`): the log holds no personal data, so it cannot be the place to read them.
   */
  dropDir: string;
  /** The From header, e.g. `Acme CRM <crm@acme.example>`. */
  from: string;
  /** Its bare address, as the activity log records the sender of a logged email. */
  fromAddress: string;
  /** Each organization's sustained sending rate, and how many it may send at once after a quiet spell. */
  ratePerMinute: number;
  burst: number;
  /** Attempts after the first for a temporary failure (4xx, connection refused), and the first retry's delay. */
  retryLimit: number;
  retryDelaySeconds: number;
  /** Jobs one process sends at a time, on each shard. */
  concurrency: number;
  /** Where links in emails point: the edge's public address (unsubscribe links, links to records). */
  publicBaseUrl: string;
};

const DEFAULT_FROM = 'CRM <no-reply@crm.localhost>';

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number, { integer = true } = {}): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new Error(`${name} must be a positive ${integer ? 'whole ' : ''}number`);
  }
  return value;
}

/** `Name <addr@host>` → `addr@host`; a bare address stays as it is. */
export function addressOf(from: string): string {
  const angled = /<([^<>\s]+@[^<>\s]+)>/.exec(from);
  return (angled ? angled[1]! : from).trim().toLowerCase();
}

export function emailConfig(env: NodeJS.ProcessEnv = process.env): EmailConfig {
  const from = env.SMTP_FROM?.trim() || DEFAULT_FROM;
  return {
    smtpUrl: env.SMTP_URL?.trim() || null,
    dropDir: env.MAIL_DROP_DIR?.trim() || `${env.DATA_DIR ?? 'data'}/mail`,
    from,
    fromAddress: addressOf(from),
    ratePerMinute: positive(env, 'EMAIL_RATE_PER_MINUTE', 60, { integer: false }),
    burst: positive(env, 'EMAIL_BURST', 10),
    retryLimit: positive(env, 'EMAIL_RETRY_LIMIT', 6),
    retryDelaySeconds: positive(env, 'EMAIL_RETRY_DELAY_SECONDS', 60),
    concurrency: positive(env, 'EMAIL_CONCURRENCY', 4),
    publicBaseUrl: (env.PUBLIC_BASE_URL?.trim() || 'http://127.0.0.1:8787').replace(/\/+$/, ''),
  };
}
