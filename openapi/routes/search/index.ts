import { home, type PublicOperation } from '../../operation.ts';
import { searchRoute } from './search.ts';

export const searchOperations: PublicOperation[] = [{ route: searchRoute, target: home, cacheable: true }];
