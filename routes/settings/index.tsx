import type { ApiFailure } from '../../web/api.ts';
import {
  errorFor,
  formText,
  generalError,
  Outcome,
  SelectField,
  SettingsShell,
  TextField,
} from '../../web/components/settings.tsx';
import { CsrfField } from '../../web/components/ui.tsx';
import type { Handlers, Me, PageProps, RouteContext } from '../../web/route.ts';
import { formatDate, utcToWallTime, wallTimeToUtc } from '../../web/zoned-time.ts';

type Profile = { name: string; email: string; timeZone: string; locale: string; dateFormat: string };
type Channels = { in_app: boolean; email: boolean; sms: boolean; push: boolean };
type Availability = { away: boolean; awayUntil: string | null; maxOpenLeads: number | null };
type Failed = { key: 'profile' | 'notifications' | 'availability'; error: ApiFailure };
type Data = {
  profile: Profile;
  preferences: Record<string, Channels> | null;
  availability: Availability | null;
  notice?: string;
  failed?: Failed;
};

const notificationTypes: [string, string][] = [
  ['lead_assigned', 'A lead is assigned to me'],
  ['task_due', 'A task of mine is due'],
  ['record_changed', 'A record I watch changes'],
  ['workflow', 'A workflow tells me something'],
  ['webhook_disabled', 'A webhook is disabled'],
  ['import_finished', 'An import finishes'],
];
const channels: [keyof Channels, string][] = [
  ['in_app', 'In app'],
  ['email', 'Email'],
  ['sms', 'SMS'],
  ['push', 'Push'],
];
const dateFormats = ['YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY', 'DD.MM.YYYY'];
const locales: [string, string][] = [
  ['en-US', 'English (United States)'],
  ['en-GB', 'English (United Kingdom)'],
  ['de-DE', 'Deutsch (Deutschland)'],
  ['fr-FR', 'Français (France)'],
  ['es-ES', 'Español (España)'],
  ['pt-BR', 'Português (Brasil)'],
  ['it-IT', 'Italiano (Italia)'],
  ['nl-NL', 'Nederlands (Nederland)'],
  ['ja-JP', '日本語 (日本)'],
  ['zh-CN', '中文 (中国)'],
  ['hi-IN', 'हिन्दी (भारत)'],
];
const notices: Record<string, string> = {
  profile: 'Your profile was saved.',
  notifications: 'Your notification preferences were saved.',
  availability: 'Your availability was saved.',
};

const profileOf = (me: Me | null): Profile => {
  const user = (me?.user ?? {}) as Partial<Profile>;
  return {
    name: user.name ?? '',
    email: user.email ?? '',
    timeZone: user.timeZone ?? 'UTC',
    locale: user.locale ?? 'en-US',
    dateFormat: user.dateFormat ?? 'YYYY-MM-DD',
  };
};

async function load(ctx: RouteContext<Data>, extra: Partial<Data> = {}, status = 200) {
  const userId = ctx.me?.user?.id;
  const [preferences, availability] = await Promise.all([
    ctx.api<{ preferences: Record<string, Channels> }>('/api/v1/notifications/preferences'),
    userId ? ctx.api<Availability>(`/api/v1/users/${userId}/availability`) : null,
  ]);
  const data: Data = {
    profile: profileOf(ctx.me),
    preferences: preferences.ok ? preferences.data.preferences : null,
    availability: availability?.ok ? availability.data : null,
    ...extra,
  };
  return ctx.render(data, { title: 'Profile and preferences', status });
}

export const handler: Handlers<Data> = {
  GET: (ctx) => load(ctx, { notice: notices[ctx.url.searchParams.get('saved') ?? ''] }),
  async POST(ctx) {
    const form = await ctx.form();
    const intent = formText(form, 'intent');
    const again = (failed: Failed, profile?: Profile) =>
      load(ctx, { failed, ...(profile ? { profile } : {}) }, failed.error.status || 400);
    if (intent === 'profile') {
      const profile = {
        name: formText(form, 'name'),
        timeZone: formText(form, 'timeZone'),
        locale: formText(form, 'locale'),
        dateFormat: formText(form, 'dateFormat'),
      };
      const answer = await ctx.api('/api/v1/me', { method: 'PATCH', body: profile });
      if (!answer.ok)
        return again({ key: 'profile', error: answer.error }, { ...profile, email: profileOf(ctx.me).email });
    } else if (intent === 'notifications') {
      const preferences: Record<string, Channels> = {};
      for (const [type] of notificationTypes) {
        preferences[type] = Object.fromEntries(
          channels.map(([channel]) => [channel, form.get(`${type}.${channel}`) === 'on']),
        ) as Channels;
      }
      const answer = await ctx.api('/api/v1/notifications/preferences', { method: 'PUT', body: { preferences } });
      if (!answer.ok) return again({ key: 'notifications', error: answer.error });
    } else if (intent === 'availability') {
      const away = form.get('away') === 'on';
      const until = formText(form, 'awayUntil');
      const zone = profileOf(ctx.me).timeZone;
      const awayUntil = away && until ? (wallTimeToUtc(until, zone)?.toISOString() ?? until) : null;
      const max = formText(form, 'maxOpenLeads');
      const body = { away, awayUntil, maxOpenLeads: max === '' ? null : Number(max) };
      const answer = await ctx.api(`/api/v1/users/${ctx.me?.user?.id}/availability`, { method: 'PUT', body });
      if (!answer.ok) return again({ key: 'availability', error: answer.error });
    } else {
      return ctx.redirect('/settings');
    }
    return ctx.redirect(`/settings?saved=${intent}`);
  },
};

export default function ProfilePage({ data, csrf, me }: PageProps<Data>) {
  const { profile, failed } = data;
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const zoneOptions = (zones.includes(profile.timeZone) ? zones : [profile.timeZone, ...zones]).map(
    (z) => [z, z.replaceAll('_', ' ')] as const,
  );
  const profileFields = ['name', 'timeZone', 'locale', 'dateFormat'];
  const now = new Date();
  const availability = data.availability;
  return (
    <SettingsShell me={me} current="/settings" title="Profile and preferences">
      <div class="space-y-6">
        <Outcome notice={data.notice} />
        <section class="card" aria-labelledby="profile-heading">
          <h2 id="profile-heading" class="mb-3 font-semibold">
            Profile
          </h2>
          <form method="post" class="space-y-4" noValidate>
            <CsrfField csrf={csrf} />
            <input type="hidden" name="intent" value="profile" />
            <Outcome error={generalError(failed, 'profile', profileFields)} />
            <p class="text-sm text-slate-700">
              Signed in as <strong>{profile.email}</strong>
            </p>
            <div class="grid grid-cols-1 gap-4 sm:grid-cols-2">
              <TextField
                id="profile-name"
                name="name"
                label="Name"
                value={profile.name}
                error={errorFor(failed, 'profile', 'name')}
              />
              <SelectField
                id="profile-timeZone"
                name="timeZone"
                label="Time zone"
                value={profile.timeZone}
                options={zoneOptions}
                error={errorFor(failed, 'profile', 'timeZone')}
              />
              <SelectField
                id="profile-locale"
                name="locale"
                label="Language and region"
                value={profile.locale}
                options={
                  locales.some(([l]) => l === profile.locale) ? locales : [[profile.locale, profile.locale], ...locales]
                }
                error={errorFor(failed, 'profile', 'locale')}
              />
              <SelectField
                id="profile-dateFormat"
                name="dateFormat"
                label="Date format"
                value={profile.dateFormat}
                options={dateFormats.map((f) => [f, `${f} (today: ${formatDate(now, profile.timeZone, f)})`] as const)}
                error={errorFor(failed, 'profile', 'dateFormat')}
              />
            </div>
            <button type="submit" class="btn-primary">
              Save profile
            </button>
          </form>
        </section>

        <section class="card" aria-labelledby="notifications-heading">
          <h2 id="notifications-heading" class="mb-3 font-semibold">
            Notifications
          </h2>
          {data.preferences ? (
            <form method="post" class="space-y-4">
              <CsrfField csrf={csrf} />
              <input type="hidden" name="intent" value="notifications" />
              <Outcome error={failed?.key === 'notifications' ? failed.error.message : null} />
              <div class="overflow-x-auto">
                <table class="w-full text-sm">
                  <caption class="sr-only">How you are told about each kind of notification</caption>
                  <thead>
                    <tr class="text-left">
                      <th scope="col" class="py-2 pr-3 font-medium">
                        When
                      </th>
                      {channels.map(([, label]) => (
                        <th key={label} scope="col" class="px-2 py-2 text-center font-medium">
                          {label}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {notificationTypes.map(([type, label]) => (
                      <tr key={type} class="border-t border-slate-100">
                        <th scope="row" class="py-2 pr-3 text-left font-normal">
                          {label}
                        </th>
                        {channels.map(([channel, channelLabel]) => (
                          <td key={channel} class="px-2 py-2 text-center">
                            <input
                              type="checkbox"
                              class="h-4 w-4"
                              name={`${type}.${channel}`}
                              aria-label={`${label}: ${channelLabel}`}
                              checked={data.preferences?.[type]?.[channel] ?? false}
                            />
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <button type="submit" class="btn-primary">
                Save notifications
              </button>
            </form>
          ) : (
            <p class="text-sm text-slate-700">Your notification preferences could not be loaded; reload the page.</p>
          )}
        </section>

        <section class="card" aria-labelledby="availability-heading">
          <h2 id="availability-heading" class="mb-1 font-semibold">
            Availability
          </h2>
          <p class="mb-3 text-sm text-slate-700">While you are away, no new leads are assigned to you.</p>
          <form method="post" class="space-y-4" noValidate>
            <CsrfField csrf={csrf} />
            <input type="hidden" name="intent" value="availability" />
            <Outcome error={generalError(failed, 'availability', ['away', 'awayUntil', 'maxOpenLeads'])} />
            <div class="flex items-center gap-2">
              <input id="availability-away" name="away" type="checkbox" class="h-4 w-4" checked={availability?.away} />
              <label for="availability-away" class="text-sm">
                I am away
              </label>
            </div>
            <div class="grid grid-cols-1 gap-4 sm:grid-cols-2">
              <TextField
                id="availability-awayUntil"
                name="awayUntil"
                type="datetime-local"
                label={`Back on (${profile.timeZone.replaceAll('_', ' ')})`}
                hint="Leave empty to stay away until you clear the box above"
                value={availability?.awayUntil ? utcToWallTime(new Date(availability.awayUntil), profile.timeZone) : ''}
                error={errorFor(failed, 'availability', 'awayUntil')}
              />
              <TextField
                id="availability-maxOpenLeads"
                name="maxOpenLeads"
                type="number"
                min={0}
                label="Most open leads at once"
                hint="Leave empty for no limit"
                value={availability?.maxOpenLeads ?? ''}
                error={errorFor(failed, 'availability', 'maxOpenLeads')}
              />
            </div>
            <button type="submit" class="btn-primary">
              Save availability
            </button>
          </form>
        </section>
      </div>
    </SettingsShell>
  );
}
