import { home, type PublicOperation } from '../../operation.ts';
import { listNotificationsRoute } from './list.ts';
import { getNotificationPreferencesRoute, updateNotificationPreferencesRoute } from './preferences.ts';
import { readNotificationRoute } from './read.ts';
import { readAllNotificationsRoute } from './read-all.ts';
import { notificationStreamRoute } from './stream.ts';

// None is cacheable: notifications are written by workers, never through the edge, so nothing would invalidate
// a cached page; the stream must reach the client as it is written.
export const notificationOperations: PublicOperation[] = [
  { route: listNotificationsRoute, target: home },
  { route: readNotificationRoute, target: home },
  { route: readAllNotificationsRoute, target: home },
  { route: getNotificationPreferencesRoute, target: home },
  { route: updateNotificationPreferencesRoute, target: home },
  { route: notificationStreamRoute, target: home },
];
