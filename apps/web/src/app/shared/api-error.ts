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

/**
 * The API's per-field messages (`validation_failed` details: `[{field, messages}]`), by field.
 * Nested fields (`tariff.bands.0.from`) are keyed by their full path; the form shows each under
 * its control and anything without a control in the summary.
 */
export function apiFieldErrors(error: unknown): Record<string, string[]> {
  const details = apiError(error)?.details;
  if (!Array.isArray(details)) return {};
  const byField: Record<string, string[]> = {};
  for (const detail of details as unknown[]) {
    if (typeof detail !== 'object' || detail === null) continue;
    const { field, messages } = detail as { field?: unknown; messages?: unknown };
    if (typeof field !== 'string' || !Array.isArray(messages)) continue;
    const texts = messages.filter((message): message is string => typeof message === 'string');
    byField[field] = [...(byField[field] ?? []), ...texts];
  }
  return byField;
}

/**
 * The message of a failed download (`responseType: 'blob'`): Angular hands the JSON error body
 * over as a Blob, read here before it is mapped like any other error.
 */
export async function downloadErrorMessage(error: unknown): Promise<string> {
  if (error instanceof HttpErrorResponse && error.error instanceof Blob) {
    try {
      const body: unknown = JSON.parse(await error.error.text());
      const { status, statusText } = error;
      return apiErrorMessage(new HttpErrorResponse({ error: body, status, statusText }));
    } catch {
      // Not JSON: the status decides below.
    }
  }
  return apiErrorMessage(error);
}
