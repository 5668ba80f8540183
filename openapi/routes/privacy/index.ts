import { home, type PublicOperation } from '../../operation.ts';
import { erasePersonRoute } from './erase.ts';
import { exportPersonRoute } from './export.ts';
import { getRetentionRoute, updateRetentionRoute } from './retention.ts';

export const privacyOperations: PublicOperation[] = [
  { route: exportPersonRoute, target: home },
  { route: erasePersonRoute, target: home },
  { route: getRetentionRoute, target: home },
  { route: updateRetentionRoute, target: home },
];
