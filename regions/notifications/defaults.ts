import {
  type NotificationChannel,
  type NotificationType,
  notificationChannels,
  notificationTypes,
} from '../../db/schema/messaging-enums.ts';

export type ChannelSettings = Record<NotificationChannel, boolean>;
export type PreferenceSettings = Record<NotificationType, ChannelSettings>;

const inAppAndEmail: ChannelSettings = { in_app: true, email: true, sms: false, push: false };
const inAppOnly: ChannelSettings = { in_app: true, email: false, sms: false, push: false };

/**
 * What a member gets before they choose: everything in the app; by email what needs them to act (a lead to work,
 * a task due, a workflow asking for them, a webhook the platform turned off); frequent, informational events
 * (changes to watched records, finished imports) in the app only. SMS and push are opt-in.
 */
export const defaultPreferences: PreferenceSettings = {
  lead_assigned: inAppAndEmail,
  task_due: inAppAndEmail,
  record_changed: inAppOnly,
  workflow: inAppAndEmail,
  webhook_disabled: inAppAndEmail,
  import_finished: inAppOnly,
};

/** The defaults overlaid with the member's stored choices. */
export function effectivePreferences(
  stored: readonly { type: NotificationType; channel: NotificationChannel; enabled: boolean }[],
): PreferenceSettings {
  const settings = Object.fromEntries(
    notificationTypes.map((type) => [type, { ...defaultPreferences[type] }]),
  ) as PreferenceSettings;
  for (const { type, channel, enabled } of stored) {
    if (settings[type] && notificationChannels.includes(channel)) settings[type][channel] = enabled;
  }
  return settings;
}
