/**
 * What a failed send means for the address and the job:
 * - `bounce`: the server refused this recipient or this message for good (a 5xx reply to RCPT TO or DATA). The
 *   address is suppressed as bounced and the job is not retried: sending again would only hurt the sender's
 *   reputation.
 * - `retry`: anything that may pass later: a 4xx reply (greylisting, a full mailbox, a busy server), a connection
 *   refused or dropped, a timeout, and also a refused login, which is our configuration's fault, never the
 *   recipient's, so it must not suppress anyone.
 */
export type SendFailure = { kind: 'bounce' | 'retry'; message: string; responseCode: number | null };

/** The reply codes of the commands that are about the recipient or the message itself. */
const recipientOrMessage = new Set(['EENVELOPE', 'EMESSAGE']);

export function classifySendFailure(error: unknown): SendFailure {
  const err = (error ?? {}) as { code?: unknown; responseCode?: unknown; response?: unknown; message?: unknown };
  const responseCode = typeof err.responseCode === 'number' ? err.responseCode : null;
  const code = typeof err.code === 'string' ? err.code : '';
  const message = String(err.response ?? err.message ?? error).slice(0, 500);
  const permanent = responseCode !== null && responseCode >= 500 && responseCode < 600;
  if (permanent && recipientOrMessage.has(code)) return { kind: 'bounce', message, responseCode };
  return { kind: 'retry', message, responseCode };
}
