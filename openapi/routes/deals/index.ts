import type { PublicOperation } from '../../operation.ts';

export const dealOperations: PublicOperation[] = [];
