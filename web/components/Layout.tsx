import type { ComponentChildren } from 'preact';
import SearchBox from '../../islands/SearchBox.tsx';
import type { Me } from '../route.ts';

const nav = [
  { href: '/', label: 'Dashboard' },
  { href: '/leads', label: 'Leads' },
  { href: '/contacts', label: 'Contacts' },
  { href: '/companies', label: 'Companies' },
  { href: '/pipelines', label: 'Pipelines' },
  { href: '/activities', label: 'Activities' },
  { href: '/reports', label: 'Reports' },
  { href: '/import', label: 'Import' },
  { href: '/settings', label: 'Settings' },
];

const active = (path: string, href: string) => (href === '/' ? path === '/' : path.startsWith(href));

/** Every page's frame: skip link, navigation, the global search (Ctrl/Cmd-K) and sign-out for signed-in users. */
export function Layout(props: { me: Me | null; csrf: string; path: string; children: ComponentChildren }) {
  const { me } = props;
  return (
    <>
      <a href="#main" class="skip-link">
        Skip to content
      </a>
      <header class="border-b border-slate-200 bg-white">
        <div class="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
          <a href={me ? '/' : '/login'} class="text-lg font-bold tracking-tight text-indigo-700">
            CRM
          </a>
          {me && (
            <nav aria-label="Main" class="order-3 w-full overflow-x-auto sm:order-none sm:w-auto">
              <ul class="flex gap-1">
                {nav.map((item) => (
                  <li key={item.href}>
                    <a
                      href={item.href}
                      aria-current={active(props.path, item.href) ? 'page' : undefined}
                      class="block rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 aria-[current=page]:bg-indigo-50 aria-[current=page]:text-indigo-800"
                    >
                      {item.label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          {me && (
            <div class="ml-auto flex items-center gap-3">
              <SearchBox />
              <span class="hidden text-sm text-slate-600 md:inline" title={me.user?.email}>
                {me.user?.name || me.user?.email} · {me.organization.name}
              </span>
              <form method="post" action="/logout">
                <input type="hidden" name="_csrf" value={props.csrf} />
                <button type="submit" class="btn-secondary">
                  Sign out
                </button>
              </form>
            </div>
          )}
        </div>
      </header>
      <main id="main" class="mx-auto max-w-7xl px-4 py-6">
        {props.children}
      </main>
    </>
  );
}
