import type { PublicOperation } from '../../operation.ts';

export const companyOperations: PublicOperation[] = [];
