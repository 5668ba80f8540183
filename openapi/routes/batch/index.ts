import { home, type PublicOperation } from '../../operation.ts';
import { batchLeadsRoute } from './route.ts';

export const batchOperations: PublicOperation[] = [{ route: batchLeadsRoute, target: home }];
