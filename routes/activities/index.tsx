import MyTasks from '../../islands/MyTasks.tsx';
import {
  type Activity,
  activityFacts,
  activityKinds,
  kindLabels,
  knownTimeZone,
  recordLinks,
  type SubjectType,
  taskSections,
} from '../../web/activities.ts';
import type { ApiFailure, ApiResult } from '../../web/api.ts';
import { Alert, PageTitle } from '../../web/components/ui.tsx';
import { type Display, displayOf, formatWhen } from '../../web/display.ts';
import type { Handlers, PageProps, RouteContext } from '../../web/route.ts';

type Page = { data: Activity[]; nextCursor: string | null };
type Data = {
  sections: { today: Activity[]; overdue: Activity[]; upcoming: Activity[] };
  recent: Activity[];
  type: string;
  names: Record<string, string>;
  display: Display;
  truncated: boolean;
  errors: ApiFailure[];
};

/** Record names are looked up for at most this many linked records; the rest link by their type. */
const MAX_NAMES = 40;
const typeNames: Record<SubjectType, string> = { lead: 'Lead', contact: 'Contact', company: 'Company', deal: 'Deal' };

type Named = { firstName?: string; lastName?: string; email?: string | null; name?: string };
const nameOf = (r: Named) => r.name ?? (`${r.firstName ?? ''} ${r.lastName ?? ''}`.trim() || r.email || '');

async function recordNames(ctx: RouteContext<Data>, activities: Activity[]) {
  const wanted = new Map<string, SubjectType>();
  for (const a of activities) for (const link of recordLinks(a)) wanted.set(link.id, link.type);
  const plural: Record<SubjectType, string> = {
    lead: 'leads',
    contact: 'contacts',
    company: 'companies',
    deal: 'deals',
  };
  const found = await Promise.all(
    [...wanted].slice(0, MAX_NAMES).map(async ([id, type]) => {
      const answer = await ctx.api<Named>(`/api/v1/${plural[type]}/${id}`);
      return answer.ok ? ([id, nameOf(answer.data)] as const) : null;
    }),
  );
  return Object.fromEntries(found.filter((x): x is readonly [string, string] => Boolean(x?.[1])));
}

export const handler: Handlers<Data> = {
  async GET(ctx) {
    // `?tz=` looks at the day from another zone for once; otherwise the profile's zone decides what "today" is.
    const profile = displayOf(ctx.me);
    const display = { ...profile, timeZone: knownTimeZone(ctx.url.searchParams.get('tz')) ?? profile.timeZone };
    const timeZone = display.timeZone;
    const wanted = ctx.url.searchParams.get('type') ?? '';
    const type = (activityKinds as readonly string[]).includes(wanted) ? wanted : '';
    const tz = encodeURIComponent(timeZone);
    const mine = ctx.me?.user ? `&ownerId=${ctx.me.user.id}` : '';
    const [today, overdue, open, recent] = await Promise.all([
      ctx.api<Page>(`/api/v1/me/tasks?view=today&limit=200&tz=${tz}`),
      ctx.api<Page>(`/api/v1/me/tasks?view=overdue&limit=200&tz=${tz}`),
      ctx.api<Page>(`/api/v1/me/tasks?view=open&limit=200&tz=${tz}`),
      ctx.api<Page>(`/api/v1/activities?limit=25${mine}${type ? `&type=${type}` : ''}`),
    ]);
    const answers: ApiResult<Page>[] = [today, overdue, open, recent];
    const errors = answers.flatMap((a) => (a.ok ? [] : [a.error]));
    const rows = (a: ApiResult<Page>) => (a.ok ? a.data.data : []);
    const sections = taskSections({ today: rows(today), overdue: rows(overdue), open: rows(open) });
    const everything = [...sections.today, ...sections.overdue, ...sections.upcoming, ...rows(recent)];
    const data: Data = {
      sections,
      recent: rows(recent),
      type,
      names: await recordNames(ctx, everything),
      display,
      truncated: [today, overdue, open].some((a) => a.ok && a.data.nextCursor !== null),
      errors,
    };
    return ctx.render(data, { title: 'My tasks', status: errors[0]?.status ?? 200 });
  },
};

export default function ActivitiesPage({ data, me }: PageProps<Data>) {
  const canCreate = me?.permissions.includes('activities:create') ?? false;
  return (
    <>
      <PageTitle>My tasks</PageTitle>
      {data.errors.length > 0 && <Alert>{[...new Set(data.errors.map((e) => e.message))].join(' ')}</Alert>}
      {data.truncated && <Alert tone="info">Only the first 200 tasks of each list are shown.</Alert>}
      <p class="mb-2 text-sm text-slate-600">Times are in {data.display.timeZone.replaceAll('_', ' ')}.</p>
      <MyTasks
        today={data.sections.today}
        overdue={data.sections.overdue}
        upcoming={data.sections.upcoming}
        names={data.names}
        display={data.display}
        canCreate={canCreate}
      />
      <section class="card mt-6" aria-labelledby="recent-heading">
        <div class="mb-3 flex flex-wrap items-end justify-between gap-3">
          <h2 id="recent-heading" class="font-semibold">
            My recent activities
          </h2>
          <form method="get" action="/activities" class="flex items-end gap-2">
            <div>
              <label for="activity-type" class="label">
                Type
              </label>
              <select id="activity-type" name="type" class="input">
                <option value="">All types</option>
                {activityKinds.map((kind) => (
                  <option key={kind} value={kind} selected={kind === data.type}>
                    {kindLabels[kind]}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" class="btn-secondary">
              Filter
            </button>
          </form>
        </div>
        {data.recent.length === 0 ? (
          <p class="text-sm text-slate-600">No activities{data.type ? ' of this type' : ''} yet.</p>
        ) : (
          <ol class="space-y-3" aria-label="Recent activities" data-testid="recent-activities">
            {data.recent.map((a) => (
              <li key={a.id} class="border-l-2 border-indigo-200 pl-3">
                <p class="text-sm">
                  <span class="font-medium">{kindLabels[a.type] ?? a.type}</span> · {a.subject}
                </p>
                <p class="text-sm text-slate-700">
                  {[...activityFacts(a, data.display), formatWhen(a.createdAt, data.display)].join(' · ')}
                  {recordLinks(a).map((link) => (
                    <span key={link.id}>
                      {' · '}
                      <a href={link.href} class="text-indigo-700 underline">
                        {typeNames[link.type]}: {data.names[link.id] ?? 'open'}
                      </a>
                    </span>
                  ))}
                </p>
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}
