import type { RegionStatus, StatusReport } from '../../edge/ops/status.ts';

const overallText: Record<StatusReport['overall'], string> = {
  operational: 'All regions operational',
  degraded: 'Some regions are not fully available',
  down: 'No region is available',
};

const overallStyle: Record<StatusReport['overall'], string> = {
  operational: 'border-emerald-300 bg-emerald-50 text-emerald-900',
  degraded: 'border-amber-300 bg-amber-50 text-amber-900',
  down: 'border-red-300 bg-red-50 text-red-900',
};

const stateText: Record<RegionStatus['state'], string> = {
  ready: 'Operational',
  not_ready: 'Degraded: running, not ready',
  down: 'Down: not answering',
};

const stateStyle: Record<RegionStatus['state'], string> = {
  ready: 'bg-emerald-100 text-emerald-900',
  not_ready: 'bg-amber-100 text-amber-900',
  down: 'bg-red-100 text-red-900',
};

const checkText = (check: RegionStatus['health']) =>
  check.state === 'up'
    ? `answered in ${check.latencyMs} ms`
    : check.httpStatus === null
      ? 'no answer'
      : `answered ${check.httpStatus}`;

/** The public status page: one row per region, words as well as colours; no script, no personal data. */
export function StatusPage(props: { report: StatusReport; refreshSeconds: number }) {
  const { report } = props;
  return (
    <div class="mx-auto max-w-3xl">
      <h1 class="text-2xl font-semibold">Service status</h1>
      <p role="status" class={`mt-4 rounded-md border px-4 py-3 font-medium ${overallStyle[report.overall]}`}>
        {overallText[report.overall]}
      </p>
      <div class="card mt-6 overflow-x-auto p-0">
        <table class="w-full text-left text-sm">
          <caption class="sr-only">Each region’s liveness and readiness</caption>
          <thead class="border-b border-slate-200 bg-slate-50 text-slate-700">
            <tr>
              <th scope="col" class="px-4 py-2 font-semibold">
                Region
              </th>
              <th scope="col" class="px-4 py-2 font-semibold">
                State
              </th>
              <th scope="col" class="px-4 py-2 font-semibold">
                Health
              </th>
              <th scope="col" class="px-4 py-2 font-semibold">
                Readiness
              </th>
            </tr>
          </thead>
          <tbody>
            {report.regions.map((region) => (
              <tr key={region.region} class="border-b border-slate-100 last:border-0" data-region={region.region}>
                <th scope="row" class="px-4 py-2 font-mono font-medium uppercase">
                  {region.region}
                </th>
                <td class="px-4 py-2">
                  <span class={`rounded-full px-2 py-0.5 text-xs font-semibold ${stateStyle[region.state]}`}>
                    {stateText[region.state]}
                  </span>
                </td>
                <td class="px-4 py-2 text-slate-700">{checkText(region.health)}</td>
                <td class="px-4 py-2 text-slate-700">{checkText(region.ready)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="mt-4 text-xs text-slate-600">
        Checked <time datetime={report.checkedAt}>{report.checkedAt.replace('T', ' ').slice(0, 19)} UTC</time>; results
        are kept {props.refreshSeconds} seconds. Also as JSON: <a href="/status.json">/status.json</a>.
      </p>
    </div>
  );
}
