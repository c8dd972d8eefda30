// Placing the core's field errors beside the inputs they belong to.
//
// The core names fields by their path in the input: `title`, `implementation.percent_done`,
// `budget.residents`, `attendees[3].contact_id`. An input shows the errors for its own path and
// for anything under it; whatever no input claims goes to the form's banner, so none is lost.

import type { FieldError, Lang } from '../ipc/types';

/** Whether the error on `errorField` belongs to the input at `field`. */
export function belongsTo(errorField: string, field: string): boolean {
  return (
    errorField === field || errorField.startsWith(field + '.') || errorField.startsWith(field + '[')
  );
}

/** The messages, in `lang`, for the input at `field`. */
export function messagesFor(errors: readonly FieldError[], field: string, lang: Lang): string[] {
  return errors.filter((e) => belongsTo(e.field, field)).map((e) => e.message[lang]);
}

/** The errors no input of the form shows. */
export function unplaced(errors: readonly FieldError[], placed: readonly string[]): FieldError[] {
  return errors.filter((e) => !placed.some((p) => belongsTo(e.field, p)));
}

/** A DOM-safe id for the error text of a field (`budget[1].planned` → `err-budget-1-planned`). */
export function errorId(field: string): string {
  return 'err-' + field.replace(/[^a-zA-Z0-9_]+/g, '-').replace(/-+$/, '');
}
