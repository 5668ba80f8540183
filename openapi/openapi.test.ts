import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { documentPath, renderDocument } from './generate.ts';

describe('the committed OpenAPI document', () => {
  it('matches the route definitions (run `npm run openapi` and commit when this fails)', () => {
    expect(readFileSync(documentPath, 'utf8')).toBe(renderDocument());
  });

  it('is OpenAPI 3.1 with the leads and auth paths', () => {
    const document = JSON.parse(renderDocument());
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/v1/leads', '/api/v1/leads/{id}', '/api/v1/auth/signup', '/api/v1/auth/login']),
    );
  });
});
