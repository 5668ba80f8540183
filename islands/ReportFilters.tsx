import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { island } from '../web/island.tsx';
import { type ChosenRange, rangePresets } from '../web/report-range.ts';

type Props = {
  range: ChosenRange;
  /** Whether the page's address named a time zone; if not, the browser's own is used (once, by reloading). */
  tzGiven: boolean;
  /** People a manager or admin may pick; null for a sales rep, who sees only their own figures. */
  owners: { id: string; name: string }[] | null;
  ownerId: string;
};

/**
 * The reports' range picker: a GET form, so it works before (and without) its script. The script switches the
 * custom days on only for "Custom", and counts days in the browser's time zone unless the address names one.
 */
function ReportFilters(props: Props) {
  const preset = useSignal(props.range.preset);
  const tz = useSignal(props.range.tz);
  // Until the script runs the custom days stay usable, so the form works without it.
  const running = useSignal(false);
  useEffect(() => {
    running.value = true;
    const browser = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!browser) return;
    tz.value = props.tzGiven ? props.range.tz : browser;
    if (!props.tzGiven && browser !== props.range.tz) {
      const url = new URL(location.href);
      url.searchParams.set('tz', browser);
      location.replace(url.toString());
    }
  }, []);
  const locked = running.value && preset.value !== 'custom';
  return (
    <form
      method="get"
      action="/reports"
      class="card mb-6 grid grid-cols-1 items-end gap-4 sm:grid-cols-2 lg:grid-cols-6"
    >
      <div>
        <label for="r-range" class="label">
          Date range
        </label>
        <select
          id="r-range"
          name="range"
          class="input"
          value={preset.value}
          onChange={(e) => {
            preset.value = (e.currentTarget as HTMLSelectElement).value as Props['range']['preset'];
          }}
        >
          {rangePresets.map((p) => (
            <option key={p.value} value={p.value} selected={p.value === preset.value}>
              {p.label}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for="r-from" class="label">
          From
        </label>
        <input id="r-from" name="from" type="date" class="input" value={props.range.from} disabled={locked} />
      </div>
      <div>
        <label for="r-to" class="label">
          To
        </label>
        <input id="r-to" name="to" type="date" class="input" value={props.range.to} disabled={locked} />
      </div>
      <div>
        <label for="r-tz" class="label">
          Time zone
        </label>
        <input
          id="r-tz"
          name="tz"
          class="input"
          value={tz.value}
          onInput={(e) => {
            tz.value = (e.currentTarget as HTMLInputElement).value;
          }}
          aria-describedby="r-tz-hint"
        />
        <p id="r-tz-hint" class="mt-1 text-xs text-slate-600">
          Days start at midnight here
        </p>
      </div>
      <div>
        {props.owners ? (
          <label for="r-owner" class="label">
            Whose figures
          </label>
        ) : (
          <span class="label">Whose figures</span>
        )}
        {props.owners ? (
          <select id="r-owner" name="ownerId" class="input" value={props.ownerId}>
            <option value="">Everyone</option>
            {props.owners.map((o) => (
              <option key={o.id} value={o.id} selected={o.id === props.ownerId}>
                {o.name}
              </option>
            ))}
          </select>
        ) : (
          <p class="mt-1 py-1.5 text-sm text-slate-700">Your own</p>
        )}
      </div>
      <div>
        <button type="submit" class="btn-primary w-full">
          Apply
        </button>
      </div>
    </form>
  );
}

export default island('ReportFilters', ReportFilters);
