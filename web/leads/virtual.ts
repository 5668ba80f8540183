/**
 * Which rows of a long list a scrolled box shows, plus `overscan` rows either side so a quick scroll does not flash
 * blank: only these are in the DOM, so 100,000 loaded rows cost what 50 do. Rows have one fixed height.
 */
export function visibleWindow(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  total: number,
  overscan = 10,
): { start: number; end: number } {
  if (total <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const shown = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.min(Math.max(0, first - overscan), total);
  const end = Math.min(total, first + shown + overscan);
  return { start, end: Math.max(start, end) };
}

/** Whether the window has come close enough to the last loaded row that the next page should be fetched. */
export const nearEnd = (end: number, total: number, margin = 40) => total - end <= margin;
