/** One bar of a chart: what it is, its size and the figure written beside it. */
export interface Bar {
  key: string;
  label: string;
  value: number;
  shown: string;
}
