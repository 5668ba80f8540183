import { z } from '@hono/zod-openapi';
import { badRequest, fieldIssues } from '../../openapi/errors.ts';
import { Tags } from '../../openapi/schemas/companies.ts';

const valueSchemas = {
  assign: z.uuid().nullable(),
  add_tags: Tags.refine((tags) => tags.length > 0, 'Give at least one tag'),
  remove_tags: Tags.refine((tags) => tags.length > 0, 'Give at least one tag'),
  delete: z.undefined({ error: 'delete takes no value' }),
} as const;

/**
 * The action's value, validated for that action (its own enum for set_status and the like): the contract cannot
 * type `value` by `action`, so a wrong one is a 400 on `value` here.
 */
export function bulkValue<T>(action: string, value: unknown, own: Record<string, z.ZodType<T>> = {}): unknown {
  const schema = own[action] ?? valueSchemas[action as keyof typeof valueSchemas];
  if (!schema)
    throw badRequest('validation_failed', `Unknown action ${action}`, [{ path: 'action', message: 'Unknown action' }]);
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = fieldIssues(parsed.error.issues).map((issue) => ({
    ...issue,
    path: issue.path === '(root)' ? 'value' : `value.${issue.path}`,
  }));
  throw badRequest('validation_failed', `The value does not suit ${action}`, details);
}

/** The tags after adding or removing some, in a stable order (existing first), so an idempotent call is `unchanged`. */
export function retag(current: string[], action: 'add_tags' | 'remove_tags', tags: string[]): string[] {
  if (action === 'remove_tags') return current.filter((tag) => !tags.includes(tag));
  return [...current, ...tags.filter((tag) => !current.includes(tag))];
}
