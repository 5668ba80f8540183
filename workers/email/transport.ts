import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { EmailConfig } from './config.ts';
import type { RenderedEmail } from './templates.ts';

export type OutgoingEmail = RenderedEmail & { to: string; messageId?: string };

/**
 * How messages leave: SMTP through nodemailer when SMTP_URL is set; otherwise the log transport, which sends
 * nothing: it writes each message as an `.eml` file into the drop folder (config.dropDir) and logs only its id.
 */
export type MailTransport = {
  kind: 'smtp' | 'log';
  send(email: OutgoingEmail): Promise<{ messageId: string; response: string | null }>;
  close(): void;
};

export function openTransport(config: EmailConfig, log: Logger): MailTransport {
  const message = (email: OutgoingEmail) => ({
    from: config.from,
    to: email.to,
    subject: email.subject,
    text: email.text,
    html: email.html,
    headers: email.headers,
    ...(email.messageId ? { messageId: email.messageId } : {}),
  });
  if (!config.smtpUrl) {
    const raw = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    return {
      kind: 'log',
      async send(email) {
        const info = await raw.sendMail(message(email));
        await mkdir(config.dropDir, { recursive: true });
        const file = `${Date.now()}-${info.messageId.replace(/[^A-Za-z0-9.@_-]/g, '')}.eml`;
        await writeFile(join(config.dropDir, file), info.message as Buffer, { mode: 0o600 });
        // The message id and its file, never the addresses or content: logs hold no personal data.
        log.info({ messageId: info.messageId, file }, 'email not sent (no SMTP_URL): written to the mail drop folder');
        return { messageId: info.messageId, response: null };
      },
      // The stream transport holds nothing to release.
      close: () => {},
    };
  }
  const smtp = nodemailer.createTransport({
    url: config.smtpUrl,
    // A stuck server must fail the attempt (and let it be retried), not hold a worker for the default two minutes.
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
  return {
    kind: 'smtp',
    async send(email) {
      const info = await smtp.sendMail(message(email));
      return { messageId: info.messageId, response: info.response ?? null };
    },
    close: () => smtp.close(),
  };
}
