/** Notification and email enumerations, free of imports so the edge's contract can use them too. */

/**
 * What a notification is about: a lead handed to the user, a task coming due, a watched record that changed, a
 * workflow's "notify a user" step, a webhook the platform disabled after repeated failures, an import that ended.
 */
export const notificationTypes = [
  'lead_assigned',
  'task_due',
  'record_changed',
  'workflow',
  'webhook_disabled',
  'import_finished',
] as const;
export type NotificationType = (typeof notificationTypes)[number];

/** Where a notification can reach its user: the in-app list and live stream, email, SMS, a push message. */
export const notificationChannels = ['in_app', 'email', 'sms', 'push'] as const;
export type NotificationChannel = (typeof notificationChannels)[number];

/** The kinds of record a notification may link to. */
export const notificationLinkTypes = ['lead', 'contact', 'company', 'deal', 'activity', 'import', 'webhook'] as const;
export type NotificationLinkType = (typeof notificationLinkTypes)[number];

/**
 * Why an email was sent: a notification to a member, a one-off transactional email to a contact (logged as an
 * activity), or one message of a bulk campaign to consenting contacts.
 */
export const emailKinds = ['notification', 'transactional', 'bulk'] as const;
export type EmailKind = (typeof emailKinds)[number];

/**
 * An email's life: queued, being handed to the SMTP server, sent (accepted by it), suppressed (the address is on
 * the organization's suppression list, so it was never sent), bounced (permanently refused), failed (temporary
 * failures used up every retry).
 */
export const emailStatuses = ['queued', 'sending', 'sent', 'suppressed', 'bounced', 'failed'] as const;
export type EmailStatus = (typeof emailStatuses)[number];

/** Why an address gets no more email from an organization. */
export const suppressionReasons = ['bounced', 'unsubscribed', 'complained'] as const;
export type SuppressionReason = (typeof suppressionReasons)[number];
