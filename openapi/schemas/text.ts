import { z } from '@hono/zod-openapi';

/**
 * PostgreSQL can store neither a NUL character (in text or jsonb) nor an unpaired UTF-16 surrogate (in jsonb, where
 * audit rows and events copy every field), so either would fail the write with a 500. Refusing them while
 * validating names the field in a 400 instead.
 */
export const storable = (value: string): boolean => !value.includes('\u0000') && !/\p{Cs}/u.test(value);

export const unstorableMessage = 'Must not contain NUL characters or unpaired surrogates';

/** A trimmed string of at most `max` characters that PostgreSQL can store. */
export const storableText = (max: number) => z.string().trim().max(max).refine(storable, unstorableMessage);
