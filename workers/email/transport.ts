import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { EmailConfig } from './config.ts';
import type { RenderedEmail } from './templates.ts';

export type OutgoingEmail = RenderedEmail & { to: string; messageId?: string };

/**
 * How messages leave: SMTP through nodemailer when SMTP_URL is set; otherwise the log transport, which sends
 * nothing and writes each message (headers and bodies, as nodemailer's JSON transport builds it) to the log.
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
    const json = nodemailer.createTransport({ jsonTransport: true });
    return {
      kind: 'log',
      async send(email) {
        const info = await json.sendMail(message(email));
        // The message id and how many recipients, never the addresses or content: logs hold no personal data.
        const recipients = (JSON.parse(String(info.message)) as { to?: unknown[] }).to?.length ?? 0;
        log.info({ messageId: info.messageId, recipients }, 'email not sent (no SMTP_URL: log transport)');
        return { messageId: info.messageId, response: null };
      },
      // The JSON transport holds nothing to release.
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
