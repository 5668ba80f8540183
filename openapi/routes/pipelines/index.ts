import type { PublicOperation } from '../../operation.ts';

export const pipelineOperations: PublicOperation[] = [];
