import { home, type PublicOperation } from '../../operation.ts';
import { batchCompaniesRoute, batchContactsRoute, batchDealsRoute, batchLeadsRoute } from './route.ts';

export const batchOperations: PublicOperation[] = [
  { route: batchLeadsRoute, target: home },
  { route: batchContactsRoute, target: home },
  { route: batchCompaniesRoute, target: home },
  { route: batchDealsRoute, target: home },
];
