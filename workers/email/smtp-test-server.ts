import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A message the test server accepted, parsed by mailparser. */
export type ReceivedEmail = {
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  /** Raw header lines by lower-case name (List-Unsubscribe, …). */
  headers: Record<string, string>;
  at: number;
};

/** How the server answers RCPT TO for an address on its nth attempt (1-based): null accepts, a code refuses. */
export type RecipientRule = (address: string, attempt: number) => { code: number; message: string } | null;

export type TestSmtpServer = {
  url: string;
  received: ReceivedEmail[];
  /** RCPT TO attempts per address, accepted or not. */
  attempts: Map<string, number>;
  rule: RecipientRule;
  receivedBy(address: string): ReceivedEmail[];
  close(): Promise<void>;
};

/**
 * A real SMTP server on a free port of the loopback interface, for the email worker's tests: no TLS, no login,
 * every message parsed and kept. `rule` decides per recipient and attempt whether RCPT TO is refused, and with
 * which reply code, so tests can play a mailbox that does not exist (550) or a greylisting server (451).
 */
export async function startTestSmtpServer(): Promise<TestSmtpServer> {
  const received: ReceivedEmail[] = [];
  const attempts = new Map<string, number>();
  const state: TestSmtpServer = {
    url: '',
    received,
    attempts,
    rule: () => null,
    receivedBy: (address) => received.filter((m) => m.to === address.toLowerCase()),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const to = address.address.toLowerCase();
      const attempt = (attempts.get(to) ?? 0) + 1;
      attempts.set(to, attempt);
      const refusal = state.rule(to, attempt);
      if (!refusal) return callback();
      const error = Object.assign(new Error(refusal.message), { responseCode: refusal.code });
      callback(error);
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const headers: Record<string, string> = {};
          for (const { key, line } of mail.headerLines)
            headers[key] = line
              .slice(line.indexOf(':') + 1)
              .replace(/\r?\n(?=[ \t])/g, '')
              .trim();
          for (const rcpt of session.envelope.rcptTo) {
            received.push({
              to: rcpt.address.toLowerCase(),
              from: mail.from?.text ?? '',
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              html: typeof mail.html === 'string' ? mail.html : '',
              messageId: mail.messageId ?? '',
              headers,
              at: Date.now(),
            });
          }
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  state.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  return state;
}
