import type { PublicOperation } from '../../operation.ts';

export const auditOperations: PublicOperation[] = [];
