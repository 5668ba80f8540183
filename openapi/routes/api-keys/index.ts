import { home, type PublicOperation } from '../../operation.ts';
import { createApiKeyRoute } from './create.ts';
import { listApiKeysRoute } from './list.ts';
import { revokeApiKeyRoute } from './revoke.ts';

export const apiKeyOperations: PublicOperation[] = [
  { route: createApiKeyRoute, target: home },
  { route: listApiKeysRoute, target: home },
  { route: revokeApiKeyRoute, target: home },
];
