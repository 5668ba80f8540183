import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Keys that hold personal data or secrets wherever a log call puts them (top level or one object down): pino
 * replaces their values before a line is written. Log calls name ids, never people (`userId`, `emailId`); this is
 * the net under that rule, for an object logged whole by mistake.
 */
export const REDACTED_KEYS = [
  'password',
  'newPassword',
  'currentPassword',
  'token',
  'accessToken',
  'refreshToken',
  'idToken',
  'secret',
  'apiKey',
  'totp',
  'otp',
  'authorization',
  'cookie',
  'email',
  'to',
  'cc',
  'bcc',
  'phone',
  'firstName',
  'lastName',
  'fullName',
  'body',
  'html',
  'text',
] as const;

export const REDACTED_PATHS = [
  ...REDACTED_KEYS.flatMap((key) => [key, `*.${key}`]),
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
];

type SerializedError = Record<string, unknown> & { message?: string; stack?: string; cause?: unknown };

/**
 * Errors as pino writes them (causes' messages and stacks appended), less what may quote the data: a failed query's
 * parameters, which drizzle puts in its message (`params: …`) as well as in `params`, and a PostgreSQL error's
 * `detail` (`Key (email)=(…) already exists`). pino leaves a cause's own fields out, keeping its message and stack.
 */
export function serializeError(error: unknown): unknown {
  const serialized = pino.stdSerializers.err(error as Error) as unknown as SerializedError;
  if (!serialized || typeof serialized !== 'object') return serialized;
  const out: SerializedError = { ...serialized };
  for (const key of ['detail', 'where', 'parameters'] as const) if (key in out) out[key] = '[redacted]';
  // The chain's own messages with parameters in them, each replaced by its statement alone wherever it appears.
  type Link = { message?: unknown; query?: unknown; params?: unknown; cause?: unknown };
  let link = error as Link | null;
  for (let depth = 0; link && typeof link === 'object' && depth < 8; depth++) {
    if ('params' in link && typeof link.message === 'string') {
      const safe = typeof link.query === 'string' ? `Failed query: ${link.query}` : 'Failed query';
      if (typeof out.message === 'string') out.message = out.message.split(link.message).join(safe);
      if (typeof out.stack === 'string') out.stack = out.stack.split(link.message).join(safe);
    }
    link = link.cause as Link | null;
  }
  if ('params' in out) out.params = '[redacted]';
  return out;
}

/**
 * The JSON logger of regions and workers: `LOG_LEVEL` (default info), the redactions above, and errors scrubbed.
 * `destination` is where lines go (pino's default, stdout, otherwise; a test passes an in-memory stream).
 */
export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  const settings = {
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { err: serializeError, error: serializeError },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
