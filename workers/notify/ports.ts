import type { Logger } from 'pino';
import type { DeliveryJob } from '../../regions/notifications/notify.ts';

/** One notification for one member on a channel outside the app. */
export type OutsideMessage = Omit<DeliveryJob, 'channel'>;

/**
 * Where SMS and push notifications leave the CRM. A real adapter (an SMS gateway, a push service) implements the
 * port and looks up the member's number or device itself; a throw is a failed attempt, retried with backoff.
 */
export interface NotificationPort {
  readonly kind: string;
  send(message: OutsideMessage): Promise<void>;
}

export type NotificationPorts = { sms: NotificationPort; push: NotificationPort };

/** The default adapter of both ports: it sends nothing and writes the message to the log (log-only). */
export function logOnlyPort(channel: 'sms' | 'push', log: Logger): NotificationPort {
  return {
    kind: 'log',
    async send(message) {
      // Who and what kind only: the title and body name people and records, which logs must not hold.
      const { organizationId, userId, type } = message;
      log.info({ channel, organizationId, userId, type }, `${channel} notification not sent (log-only adapter)`);
    },
  };
}

export const logOnlyPorts = (log: Logger): NotificationPorts => ({
  sms: logOnlyPort('sms', log),
  push: logOnlyPort('push', log),
});

/** The `notification.deliver` job: hands the message to its channel's port. */
export async function deliver(ports: NotificationPorts, job: DeliveryJob): Promise<void> {
  const { channel, ...message } = job;
  await ports[channel].send(message);
}
