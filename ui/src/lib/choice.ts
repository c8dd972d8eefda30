/** Something a picker offers: a record's id, its name and a hint to tell namesakes apart. */
export interface Choice {
  id: string;
  label: string;
  detail?: string;
}
