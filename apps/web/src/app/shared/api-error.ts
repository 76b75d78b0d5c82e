import { HttpErrorResponse } from '@angular/common/http';
import type { ErrorResponse } from '@gridwatch/contracts';

const FALLBACK_MESSAGE = 'Something went wrong. Please try again.';
const OFFLINE_MESSAGE = 'The server cannot be reached. Check your connection and try again.';

/** The API's error body, when the response carries one in the documented shape. */
export function apiError(error: unknown): ErrorResponse | null {
  if (!(error instanceof HttpErrorResponse)) return null;
  const body: unknown = error.error;
  if (typeof body !== 'object' || body === null) return null;
  const candidate = body as Partial<ErrorResponse>;
  if (typeof candidate.error !== 'string' || typeof candidate.message !== 'string') return null;
  return candidate as ErrorResponse;
}

/** A sentence to show the user: the API's own `message` where there is one. */
export function apiErrorMessage(error: unknown): string {
  const body = apiError(error);
  if (body) return body.message;
  if (error instanceof HttpErrorResponse && error.status === 0) return OFFLINE_MESSAGE;
  return FALLBACK_MESSAGE;
}
