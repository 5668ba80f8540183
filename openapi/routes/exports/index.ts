import { home, type PublicOperation } from '../../operation.ts';
import { exportRoutes } from './export.ts';

// Not cacheable: an export is a fresh file each time, and bytes are not what the edge's JSON cache keeps.
export const exportOperations: PublicOperation[] = Object.values(exportRoutes).map((route) => ({
  route,
  target: home,
}));
