// The window of rows a virtualised list renders: only what the viewport shows, plus a few
// rows above and below so fast scrolling does not flash empty space.

export interface WindowInput {
  /** Pixels scrolled from the top of the rows. */
  scrollTop: number;
  /** Height of the visible area, pixels. */
  viewport: number;
  /** Height of every row, pixels. */
  rowHeight: number;
  /** Rows loaded so far. */
  count: number;
  /** Extra rows rendered on each side. */
  overscan: number;
}

export interface RowWindow {
  /** First row rendered. */
  start: number;
  /** One past the last row rendered. */
  end: number;
  /** Space above the first rendered row, pixels. */
  padTop: number;
  /** Height of all rows together, pixels. */
  height: number;
}

export function rowWindow({ scrollTop, viewport, rowHeight, count, overscan }: WindowInput): RowWindow {
  const height = count * rowHeight;
  if (count === 0 || rowHeight <= 0) return { start: 0, end: 0, padTop: 0, height };
  const top = Math.min(Math.max(0, scrollTop), Math.max(0, height - viewport));
  const first = Math.floor(top / rowHeight);
  const visible = Math.ceil(Math.max(0, viewport) / rowHeight) + 1;
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, first + visible + overscan);
  return { start, end, padTop: start * rowHeight, height };
}

/** Whether to ask for the next page: the window reaches within `threshold` rows of the end. */
export function wantsMore(win: RowWindow, count: number, hasMore: boolean, loading: boolean, threshold = 20): boolean {
  return hasMore && !loading && win.end >= count - threshold;
}
