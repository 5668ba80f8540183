import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { api } from '../web/client/api.ts';
import { island } from '../web/island.tsx';

type Hit = { type: 'lead' | 'contact' | 'company' | 'deal'; id: string; title: string; subtitle: string | null };

/** Where each kind of result opens. */
const pages: Record<Hit['type'], string> = { lead: 'leads', contact: 'contacts', company: 'companies', deal: 'deals' };
const hrefOf = (hit: Hit) => `/${pages[hit.type]}/${hit.id}`;

/** The global search (Ctrl/Cmd-K from anywhere): GET /api/v1/search as you type, arrows and Enter to open. */
function SearchBox() {
  const query = useSignal('');
  const hits = useSignal<Hit[]>([]);
  const selected = useSignal(0);
  const status = useSignal('');
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        input.current?.focus();
        input.current?.select();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    const q = query.value.trim();
    if (!q) {
      hits.value = [];
      status.value = '';
      return;
    }
    status.value = 'Searching…';
    const timer = setTimeout(async () => {
      const result = await api<{ data: Hit[] }>(`/api/v1/search?q=${encodeURIComponent(q)}&limit=8`);
      if (q !== query.value.trim()) return;
      if (!result.ok) {
        status.value = result.error.message;
        hits.value = [];
        return;
      }
      hits.value = result.data.data;
      selected.value = 0;
      status.value = result.data.data.length ? `${result.data.data.length} results` : 'Nothing found';
    }, 200);
    return () => clearTimeout(timer);
  }, [query.value]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown') selected.value = Math.min(selected.value + 1, hits.value.length - 1);
    else if (event.key === 'ArrowUp') selected.value = Math.max(selected.value - 1, 0);
    else if (event.key === 'Enter' && hits.value[selected.value]) location.assign(hrefOf(hits.value[selected.value]!));
    else if (event.key === 'Escape') query.value = '';
    else return;
    event.preventDefault();
  };

  const open = hits.value.length > 0;
  return (
    <div class="relative">
      <label for="global-search" class="sr-only">
        Search leads, contacts, companies and deals (Ctrl+K)
      </label>
      <input
        ref={input}
        id="global-search"
        type="search"
        // biome-ignore lint/a11y/noRedundantRoles: there is no `list` attribute (Preact's types want one named), so the role is needed.
        role="combobox"
        list={undefined}
        aria-expanded={open}
        aria-controls="global-search-results"
        aria-autocomplete="list"
        aria-activedescendant={open ? `search-hit-${selected.value}` : undefined}
        placeholder="Search… (Ctrl+K)"
        autocomplete="off"
        value={query.value}
        onInput={(event) => {
          query.value = (event.target as HTMLInputElement).value;
        }}
        onKeyDown={onKeyDown}
        class="input w-44 sm:w-64"
      />
      <p class="sr-only" aria-live="polite">
        {status.value}
      </p>
      <div
        id="global-search-results"
        role="listbox"
        aria-label="Search results"
        class={`${open ? '' : 'hidden '}absolute right-0 z-20 mt-1 w-80 max-w-[90vw] overflow-hidden rounded-md border border-slate-200 bg-white shadow-lg`}
      >
        {hits.value.map((hit, i) => (
          <div
            key={hit.id}
            id={`search-hit-${i}`}
            tabIndex={-1}
            role="option"
            aria-selected={i === selected.value}
            class="aria-selected:bg-indigo-50"
          >
            <a href={hrefOf(hit)} class="block px-3 py-2 text-sm">
              <span class="font-medium">{hit.title}</span>
              <span class="ml-2 text-xs uppercase text-slate-600">{hit.type}</span>
              {hit.subtitle && <span class="block truncate text-xs text-slate-600">{hit.subtitle}</span>}
            </a>
          </div>
        ))}
      </div>
    </div>
  );
}

export default island('SearchBox', SearchBox);
