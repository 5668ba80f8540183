import { home, type PublicOperation } from '../../operation.ts';
import { inviteUserRoute } from './invite.ts';
import { listUsersRoute } from './list.ts';
import { updateUserRoute } from './update.ts';

export const userOperations: PublicOperation[] = [
  { route: inviteUserRoute, target: home },
  { route: listUsersRoute, target: home, cacheable: true },
  { route: updateUserRoute, target: home },
];
