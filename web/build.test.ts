import { describe, expect, it } from 'vitest';
import { buildWeb, PAGE_JS_BUDGET_BYTES, patternOf } from './build.ts';

describe('web build', () => {
  it('maps route files to paths the way Fresh does', () => {
    expect(patternOf('index.tsx')).toBe('/');
    expect(patternOf('leads/index.tsx')).toBe('/leads');
    expect(patternOf('leads/[id].tsx')).toBe('/leads/:id');
    expect(patternOf('files/[...path].tsx')).toBe('/files/*');
    expect(patternOf('logout.ts')).toBe('/logout');
  });

  it('keeps every page’s own JavaScript (its islands and their shared chunks) under the budget', async () => {
    const { pages } = await buildWeb();
    expect(pages.map((p) => p.pattern)).toEqual(expect.arrayContaining(['/', '/leads', '/leads/:id', '/pipelines']));
    for (const page of pages) expect(page.gzipBytes, page.pattern).toBeLessThanOrEqual(PAGE_JS_BUDGET_BYTES);
  }, 120_000);
});
