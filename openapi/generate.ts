import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildOpenApiDocument } from './document.ts';

/** Writes openapi/openapi.json from the route definitions; `npm run openapi`, and commit the result. */
export const documentPath = fileURLToPath(new URL('./openapi.json', import.meta.url));
export const renderDocument = () => `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(documentPath, renderDocument());
  console.log(`wrote ${documentPath}`);
}
