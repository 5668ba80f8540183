import type { Context } from 'hono';
import type { RegionCaller } from '../forward.ts';
import type { KeyValueStore } from '../store/key-value.ts';

/** What the region tells the edge about a form (regions/forms/view.ts `publicDefinition`). */
export type PublicForm = {
  publicId: string;
  version: number;
  fields: {
    name: string;
    label: string;
    type: 'text' | 'email' | 'tel' | 'textarea' | 'select' | 'checkbox';
    required?: boolean;
    placeholder?: string;
    options?: string[];
    maxLength?: number;
  }[];
  consentText: string | null;
  consentRequired: boolean;
  submitLabel: string;
  successMessage: string | null;
  redirectUrl: string | null;
  allowedOrigins: string[];
  turnstileSiteKey: string | null;
};

const keyOf = (publicId: string) => `form:def:${publicId}`;

/**
 * Public form definitions, asked of the home region and kept briefly in the edge's store: every page view loads the
 * script and every submission checks its origin, and neither should cost a region call. Unknown forms are not kept,
 * so a form created a moment ago shows at once.
 */
export function createFormDefinitions(store: KeyValueStore, regions: RegionCaller, ttlSeconds: number) {
  return {
    async read(c: Context, region: string, publicId: string): Promise<PublicForm | null> {
      const kept = ttlSeconds > 0 ? await store.get(keyOf(publicId)) : null;
      if (kept) return JSON.parse(kept) as PublicForm;
      const { status, data } = await regions.call<{ form: PublicForm | null }>(
        c,
        region,
        '/internal/forms/definition',
        {
          publicId,
        },
      );
      if (status !== 200) throw new Error(`form definition lookup answered ${status}`);
      if (data.form && ttlSeconds > 0) await store.set(keyOf(publicId), JSON.stringify(data.form), ttlSeconds);
      return data.form;
    },
    /** Drops the kept copy (an empty value reads as none), after the form changed through the edge. */
    async forget(publicId: string): Promise<void> {
      await store.set(keyOf(publicId), '', 1);
    },
  };
}
