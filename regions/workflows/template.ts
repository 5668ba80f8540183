import { fieldValue } from './conditions.ts';

/**
 * Fills `{{field}}` (or `{{customFields.key}}`) from the record; a field the record lacks, or an empty one, becomes
 * empty text. Only plain values are filled in: this is text for a subject or a message, not a template language.
 */
export function fill(text: string, record: Record<string, unknown>): string {
  return text.replace(/\{\{\s*([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)?)\s*\}\}/g, (_all, path: string) => {
    const value = fieldValue(record, path);
    if (value === null || value === undefined) return '';
    if (Array.isArray(value)) return value.join(', ');
    return typeof value === 'object' ? '' : String(value);
  });
}
