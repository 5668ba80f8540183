import type { PublicOperation } from './operation.ts';
import { apiKeyOperations } from './routes/api-keys/index.ts';
import { authOperations } from './routes/auth/index.ts';
import { leadOperations } from './routes/leads/index.ts';
import { userOperations } from './routes/users/index.ts';

export type { PublicOperation, Target } from './operation.ts';

/** Every public operation; the edge serves and the OpenAPI document describes exactly this list. */
export const publicOperations: PublicOperation[] = [
  ...authOperations,
  ...leadOperations,
  ...userOperations,
  ...apiKeyOperations,
];
