import { Counter, Gauge, type Registry } from 'prom-client';
import { SlidingCounts } from '../../edge/ops/sliding-counts.ts';
import type { BusEvent } from '../events/bus.ts';

/** How far back `crm_conversion_rate` looks. */
export const CONVERSION_WINDOW_MS = 24 * 3_600_000;

const currencyCode = /^[A-Z]{3}$/;

/**
 * Business metrics counted from the events the relay has published. A deal is won on many paths (PATCH, `/won`,
 * created or converted into a won stage, bulk stage changes in the request or in the batch worker, batch upserts,
 * workflows), and each writes `deal.won` in its own transaction, so counting the published events counts each
 * committed win once, and nothing rolled back. The relay delivers at least once: a relay killed between publishing
 * a batch and marking it republishes, and counts, that batch again (as consumers see it again).
 * (`crm_leads_created_total` is counted where leads are created, regions/leads/create.ts and batch; CSV imports
 * write progress events rather than one per lead and are counted by neither.)
 *
 * `crm_conversion_rate` is leads converted ÷ leads created among the events this process relayed in the last 24
 * hours (0 when none were created): a flow rate, not a cohort's (a lead converted today may have been created last
 * week). Exact figures over any range come from the counters: `increase(crm_leads_converted_total[1d]) /
 * increase(crm_leads_created_total[1d])`, summed over every relay process.
 */
export function registerBusinessMetrics(registry: Registry, now: () => number = Date.now) {
  const leadsConverted = new Counter({
    name: 'crm_leads_converted_total',
    help: 'Leads converted to a contact (lead.converted events published)',
    registers: [registry],
  });
  const dealsWon = new Counter({
    name: 'crm_deals_won_total',
    help: 'Deals won (deal.won events published), by currency',
    labelNames: ['currency'] as const,
    registers: [registry],
  });
  const revenueWon = new Counter({
    name: 'crm_deals_won_revenue',
    help: 'Amount of the deals won, in units of their currency (deal.won events published)',
    labelNames: ['currency'] as const,
    registers: [registry],
  });
  const window = new SlidingCounts<'created' | 'converted'>(CONVERSION_WINDOW_MS, 24, now);
  new Gauge({
    name: 'crm_conversion_rate',
    help: 'Leads converted / leads created over the last 24 hours of published events (0 when none were created)',
    registers: [registry],
    collect() {
      const created = window.sum('created');
      this.set(created === 0 ? 0 : window.sum('converted') / created);
    },
  });

  /** Counts one published batch. */
  return function countPublished(events: readonly BusEvent[]): void {
    for (const event of events) {
      if (event.type === 'lead.created') {
        window.add('created');
      } else if (event.type === 'lead.converted') {
        leadsConverted.inc();
        window.add('converted');
      } else if (event.type === 'deal.won') {
        const deal = (event.payload as { deal?: { amount?: unknown; currency?: unknown } } | null)?.deal;
        // The label set stays bounded whatever a payload holds.
        const currency = typeof deal?.currency === 'string' && currencyCode.test(deal.currency) ? deal.currency : 'XXX';
        const amount = Number(deal?.amount ?? 0);
        dealsWon.inc({ currency });
        if (Number.isFinite(amount) && amount > 0) revenueWon.inc({ currency }, amount);
      }
    }
  };
}
