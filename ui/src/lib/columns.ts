/** A column of a virtualised table. */
export interface Column {
  key: string;
  label: string;
  /** A CSS grid track: `2fr`, `8rem`. */
  width: string;
  /** The list can be sorted by it (the core's sort code). */
  sort?: string;
  align?: 'start' | 'end';
}
