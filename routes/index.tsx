import LiveDashboard from '../islands/LiveDashboard.tsx';
import type { DashboardSnapshot } from '../regions/analytics/dashboard.ts';
import { PageTitle } from '../web/components/ui.tsx';
import type { Handlers, PageProps } from '../web/route.ts';

type Data = { figures: DashboardSnapshot | null; error: string | null };

/**
 * The dashboard: one call for its figures (GET /api/v1/analytics/dashboard), rendered at once, then kept live by
 * the island over the dashboard stream. A sales rep's figures are their own; a manager's, the organization's.
 */
export const handler: Handlers<Data> = {
  async GET(ctx) {
    const answer = await ctx.api<DashboardSnapshot>('/api/v1/analytics/dashboard');
    return ctx.render(
      answer.ok ? { figures: answer.data, error: null } : { figures: null, error: answer.error.message },
      { title: 'Dashboard' },
    );
  },
};

export default function Dashboard({ data, me }: PageProps<Data>) {
  return (
    <>
      <PageTitle>Welcome{me?.user?.name ? `, ${me.user.name}` : ''}</PageTitle>
      <LiveDashboard initial={data.figures} error={data.error} query="" />
    </>
  );
}
