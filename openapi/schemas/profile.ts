import { z } from '@hono/zod-openapi';
import { storableText } from './text.ts';

export const dateFormats = ['YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY', 'DD.MM.YYYY'] as const;

/** Intl knows every IANA zone on every runtime the edge and regions run on, so it is the one list to check. */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export function isLocale(value: string): boolean {
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}

const TimeZone = z
  .string()
  .max(64)
  .refine(isTimeZone, 'An IANA time zone such as Europe/Paris')
  .openapi({ description: 'IANA time zone the user reads times in', example: 'Europe/Paris' });
const Locale = z
  .string()
  .max(35)
  .refine(isLocale, 'A BCP 47 locale such as fr-FR')
  .openapi({ description: 'BCP 47 locale for numbers and words', example: 'fr-FR' });
const DateFormat = z.enum(dateFormats).openapi({ description: 'How dates are written', example: 'DD/MM/YYYY' });

/** The user's own preferences, as GET /api/v1/me shows them beside the user. */
export const profileFields = { timeZone: TimeZone, locale: Locale, dateFormat: DateFormat };

/**
 * What a signed-in user may change about themselves. Strict on purpose: role, status, email or organization in
 * the body is a 400, never silently ignored, so no one can promote or move themselves through this door.
 */
export const ProfilePatch = z
  .strictObject({
    name: storableText(100).min(1, 'Give your name').optional(),
    timeZone: TimeZone.optional(),
    locale: Locale.optional(),
    dateFormat: DateFormat.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change')
  .openapi('ProfilePatch');

export const profilePatchExample: z.input<typeof ProfilePatch> = {
  name: 'Ada King',
  timeZone: 'Europe/London',
  locale: 'en-GB',
  dateFormat: 'DD/MM/YYYY',
};
