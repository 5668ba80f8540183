import { describe, expect, it } from 'vitest';
import { exportQueries } from '../../openapi/schemas/exports.ts';
import { exportFilters } from './filters.ts';

describe('export filters', () => {
  it('handle every filter of each list, so an export never ignores one', () => {
    for (const [entity, query] of Object.entries(exportQueries)) {
      const handled = exportFilters[entity as keyof typeof exportFilters].handled;
      expect([...handled].sort(), entity).toEqual(Object.keys(query.shape).sort());
    }
  });
});
