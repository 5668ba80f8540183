import type { PublicOperation } from '../../operation.ts';

export const activityOperations: PublicOperation[] = [];
