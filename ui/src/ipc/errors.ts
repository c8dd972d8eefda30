// What a failed command becomes in the UI: always an AppError {code, message, fields}, whatever
// the rejection looked like (the core's error object, a bare string from Tauri itself when a
// command is missing, or an exception thrown in the webview).

import type { AppError, ErrorCode, FieldError } from './types';

const CODES: readonly ErrorCode[] = [
  'invalid',
  'not_found',
  'ambiguous',
  'conflict',
  'refused',
  'storage',
  'io',
  'keystore_unavailable',
  'keystore_required',
  'passphrase_required',
  'wrong_key',
  'internal',
];

/** An AppError thrown by the backend functions, so `instanceof Error` and stack traces work. */
export class BackendError extends Error implements AppError {
  readonly code: ErrorCode;
  readonly fields: FieldError[];

  constructor(e: AppError) {
    super(e.message);
    this.name = 'BackendError';
    this.code = e.code;
    this.fields = e.fields;
  }
}

function isFieldError(v: unknown): v is FieldError {
  if (!v || typeof v !== 'object') return false;
  const f = v as Record<string, unknown>;
  const m = f.message as Record<string, unknown> | null | undefined;
  return typeof f.field === 'string' && !!m && typeof m.ru === 'string' && typeof m.en === 'string';
}

/** Any rejection as an AppError. */
export function toAppError(e: unknown): AppError {
  if (e instanceof BackendError) return { code: e.code, message: e.message, fields: e.fields };
  if (e && typeof e === 'object' && !(e instanceof Error)) {
    const o = e as Record<string, unknown>;
    const code = CODES.includes(o.code as ErrorCode) ? (o.code as ErrorCode) : 'internal';
    const message = typeof o.message === 'string' ? o.message : JSON.stringify(e);
    const fields = Array.isArray(o.fields) ? o.fields.filter(isFieldError) : [];
    return { code, message, fields };
  }
  if (typeof e === 'string') return { code: 'internal', message: e, fields: [] };
  if (e instanceof Error) return { code: 'internal', message: e.message, fields: [] };
  return { code: 'internal', message: String(e), fields: [] };
}
