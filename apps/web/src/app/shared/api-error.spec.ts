import { HttpErrorResponse } from '@angular/common/http';
import { anError } from '../../testing/fixtures';
import { apiErrorMessage, apiFieldErrors } from './api-error';

function failure(status: number, body: unknown): HttpErrorResponse {
  return new HttpErrorResponse({ status, error: body });
}

describe('apiErrorMessage', () => {
  it("shows the API's own message when the body has the error shape", () => {
    const error = failure(409, anError(409, 'illegal_status_transition', 'A meter cannot go back'));
    expect(apiErrorMessage(error)).toBe('A meter cannot go back');
  });

  it('says the server cannot be reached for a network failure (status 0)', () => {
    expect(apiErrorMessage(failure(0, null))).toMatch(/cannot be reached/);
  });

  it('falls back to a generic sentence for a body of another shape (a proxy error page)', () => {
    expect(apiErrorMessage(failure(502, '<html>Bad gateway</html>'))).toMatch(/went wrong/);
  });
});

describe('apiFieldErrors', () => {
  it('groups the messages of validation_failed details by field', () => {
    const error = failure(400, {
      ...anError(400, 'validation_failed', 'Invalid request'),
      details: [
        { field: 'name', messages: ['name must be shorter'] },
        { field: 'code', messages: ['code must be 1-40 letters'] },
        { field: 'name', messages: ['name must be a string'] },
      ],
    });
    expect(apiFieldErrors(error)).toEqual({
      name: ['name must be shorter', 'name must be a string'],
      code: ['code must be 1-40 letters'],
    });
  });

  it('answers nothing for an error without field details', () => {
    expect(apiFieldErrors(failure(404, anError(404, 'site_not_found', 'No such site')))).toEqual(
      {},
    );
    expect(apiFieldErrors(new Error('boom'))).toEqual({});
  });
});
