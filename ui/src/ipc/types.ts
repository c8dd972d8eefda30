// The types that cross IPC, generated from the Rust types by ts-rs into ../bindings/ (committed;
// the drift test in tests/app fails when they no longer match Rust). The rest of the UI imports
// types from here only. What is declared below is the UI's own: names for plain strings the
// bindings spell `string`, and the error the UI makes of failures that never reached the core.

import type { AppError as CoreAppError, ErrorCode as CoreErrorCode } from '../bindings';

export type * from '../bindings';

/** Record id: a UUID string. */
export type Id = string;
/** chrono::NaiveDate: "YYYY-MM-DD". */
export type NaiveDate = string;
/** chrono::NaiveDateTime: "YYYY-MM-DDTHH:MM:SS". */
export type NaiveDateTime = string;

/**
 * The core's error codes, and `internal` for a failure that never reached it: a bare string from
 * Tauri itself (a missing command, arguments it could not read) or an exception in the webview.
 */
export type ErrorCode = CoreErrorCode | 'internal';
/** A failed command as the UI holds it (see ./errors.ts): the core's AppError, or an internal one. */
export type AppError = Omit<CoreAppError, 'code'> & { code: ErrorCode };
