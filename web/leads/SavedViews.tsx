import { type ApiFailure, fieldError } from '../api.ts';
import { CsrfField } from '../components/ui.tsx';
import type { Filters } from './query.ts';

export type SavedView = {
  id: string;
  name: string;
  filters: Record<string, string | number | boolean>;
  sort: { field: string; direction: 'asc' | 'desc' }[];
  shared: boolean;
  ownerId: string;
};

type Props = {
  views: SavedView[];
  current: SavedView | null;
  meId: string | null;
  filters: Filters;
  sort: string;
  csrf: string;
  /** Where the forms post back: the list's own URL, so after an error the page shows the same list. */
  action: string;
  error?: { action: string; failure: ApiFailure };
};

/**
 * Picking, saving, renaming and deleting saved views, as plain forms: a view opens as a URL with its filters and
 * sort, so the list stays bookmarkable. Only the owner of a view may rename or delete it (the API says so too).
 */
export function SavedViews({ views, current, meId, filters, sort, csrf, action, error }: Props) {
  const problem = (form: string, field: string) =>
    error?.action === form ? (fieldError(error.failure, field) ?? error.failure.message) : undefined;
  const own = current && current.ownerId === meId;
  const hidden = (
    <>
      <CsrfField csrf={csrf} />
      {Object.entries(filters).map(([name, value]) => (
        <input key={name} type="hidden" name={`filter:${name}`} value={value} />
      ))}
      <input type="hidden" name="sort" value={sort} />
    </>
  );
  return (
    <section aria-labelledby="views-heading" class="card mb-4 flex flex-wrap items-end gap-4">
      <h2 id="views-heading" class="sr-only">
        Saved views
      </h2>
      <form method="get" action="/leads" class="flex items-end gap-2">
        <div>
          <label for="view-pick" class="label">
            Saved view
          </label>
          <select id="view-pick" name="view" class="input">
            <option value="">All leads</option>
            {views.map((view) => (
              <option key={view.id} value={view.id} selected={current?.id === view.id}>
                {view.name}
                {view.shared ? ' (shared)' : ''}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="btn-secondary">
          Open view
        </button>
      </form>
      <form method="post" action={action} class="flex flex-wrap items-end gap-2" aria-label="Save as a view">
        {hidden}
        <input type="hidden" name="_action" value="save" />
        <div>
          <label for="view-name" class="label">
            New view name
          </label>
          <input
            id="view-name"
            name="name"
            class="input"
            required
            maxLength={100}
            aria-invalid={problem('save', 'name') ? 'true' : undefined}
            aria-describedby={problem('save', 'name') ? 'view-name-error' : undefined}
          />
          {problem('save', 'name') && (
            <p id="view-name-error" class="field-error">
              {problem('save', 'name')}
            </p>
          )}
        </div>
        <label class="flex items-center gap-2 pb-2 text-sm">
          <input type="checkbox" name="shared" value="true" /> Share with the organization
        </label>
        <button type="submit" class="btn-secondary">
          Save view
        </button>
      </form>
      {own && current && (
        <>
          <form method="post" action={action} class="flex items-end gap-2" aria-label="Rename the view">
            {hidden}
            <input type="hidden" name="_action" value="rename" />
            <input type="hidden" name="view" value={current.id} />
            <div>
              <label for="view-rename" class="label">
                Rename “{current.name}”
              </label>
              <input
                id="view-rename"
                name="name"
                class="input"
                required
                maxLength={100}
                value={current.name}
                aria-invalid={problem('rename', 'name') ? 'true' : undefined}
                aria-describedby={problem('rename', 'name') ? 'view-rename-error' : undefined}
              />
              {problem('rename', 'name') && (
                <p id="view-rename-error" class="field-error">
                  {problem('rename', 'name')}
                </p>
              )}
            </div>
            <label class="flex items-center gap-2 pb-2 text-sm">
              <input type="checkbox" name="shared" value="true" checked={current.shared} /> Shared
            </label>
            <button type="submit" class="btn-secondary">
              Save changes
            </button>
          </form>
          <details>
            <summary class="cursor-pointer pb-2 text-sm text-red-800 underline">Delete this view…</summary>
            <form method="post" action={action} class="mt-2 flex items-center gap-2" aria-label="Delete the view">
              {hidden}
              <input type="hidden" name="_action" value="delete" />
              <input type="hidden" name="view" value={current.id} />
              <label class="flex items-center gap-2 text-sm">
                <input type="checkbox" name="confirm" value="yes" required /> Yes, delete “{current.name}”
              </label>
              <button type="submit" class="btn-secondary">
                Delete view
              </button>
              {problem('delete', 'confirm') && <p class="field-error">{problem('delete', 'confirm')}</p>}
            </form>
          </details>
        </>
      )}
    </section>
  );
}
