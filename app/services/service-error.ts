import type { FieldError } from "~/domain/survey-answer";

// Typed failures of use cases; routes turn them into HTTP status + JSON `{ errors: [{ field, message }] }`.
export type ServiceErrorCode =
  | "invalid"
  | "unauthorized"
  | "not_found"
  | "conflict"
  | "gone"
  | "too_large"
  | "rate_limited";

const STATUS: Record<ServiceErrorCode, number> = {
  invalid: 400,
  unauthorized: 401,
  not_found: 404,
  conflict: 409,
  gone: 410,
  too_large: 413,
  rate_limited: 429,
};

export class ServiceError extends Error {
  readonly errors: FieldError[];
  constructor(
    readonly code: ServiceErrorCode,
    errors: FieldError[] | FieldError,
    readonly reason?: string,
  ) {
    const list = Array.isArray(errors) ? errors : [errors];
    super(list.map((error) => `${error.field}: ${error.message}`).join("; "));
    this.name = "ServiceError";
    this.errors = list;
  }
  get status(): number {
    return STATUS[this.code];
  }
}
