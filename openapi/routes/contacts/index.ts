import type { PublicOperation } from '../../operation.ts';

export const contactOperations: PublicOperation[] = [];
