/**
 * Error codes and their HTTP statuses (README, Local API, "Errors"). Errors are values with a code
 * and a message from the registry outwards; adapters only translate them (HTTP status, IPC
 * envelope, UI toast).
 */
export const ERROR_STATUS = {
  validation_error: 400,
  invalid_json: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  headers_too_large: 431,
  /** A write the disk refused (read-only folder, disk full): the stored data is unchanged. */
  storage_error: 507,
  /** Errors of a connected image registry (main/registries), see docs/registries.md. */
  registry_unreachable: 502,
  registry_auth_failed: 502,
  registry_refused: 502,
  registry_error: 502,
  registry_timeout: 504,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Field name -> human messages, as DRF reports validation errors. */
export type FieldErrors = Record<string, string[]>;

/** The JSON body of every error, over HTTP and over IPC alike. */
export interface ErrorBody {
  detail: string;
  code: ErrorCode;
  errors?: FieldErrors;
}

export class BerthError extends Error {
  readonly code: ErrorCode;
  readonly errors?: FieldErrors;

  constructor(code: ErrorCode, detail: string, errors?: FieldErrors) {
    super(detail);
    this.name = 'BerthError';
    this.code = code;
    if (errors) this.errors = errors;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  get detail(): string {
    return this.message;
  }

  toBody(): ErrorBody {
    return this.errors ? { detail: this.message, code: this.code, errors: this.errors } : { detail: this.message, code: this.code };
  }

  static validation(errors: FieldErrors, detail?: string): BerthError {
    const first = Object.entries(errors)[0];
    const sentence = detail ?? (first ? `${first[0]}: ${first[1][0] ?? 'is invalid'}` : 'Invalid input.');
    return new BerthError('validation_error', sentence, errors);
  }

  static notFound(detail: string): BerthError {
    return new BerthError('not_found', detail);
  }

  static conflict(detail: string): BerthError {
    return new BerthError('conflict', detail);
  }
}

export function isBerthError(value: unknown): value is BerthError {
  return value instanceof BerthError;
}
