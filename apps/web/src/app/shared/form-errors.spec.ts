import { HttpErrorResponse } from '@angular/common/http';
import { FormControl, FormGroup, Validators } from '@angular/forms';
import { applyApiErrors, controlMessage } from './form-errors';

describe('applyApiErrors', () => {
  const refused = new HttpErrorResponse({
    status: 400,
    error: {
      statusCode: 400,
      error: 'validation_failed',
      message: 'Invalid request',
      details: [
        { field: 'code', messages: ['code must be 1-40 letters, digits, dots, dashes'] },
        { field: 'tariff.currency', messages: ['currency must be ISO 4217'] },
      ],
    },
  });

  it("shows each field's message under its control and the rest in the summary", () => {
    const form = new FormGroup({ code: new FormControl('bad code'), name: new FormControl('x') });
    const failure = applyApiErrors(form, refused);
    expect(controlMessage(form.controls.code)).toBe(
      'code must be 1-40 letters, digits, dots, dashes',
    );
    expect(form.controls.code.touched).toBe(true);
    expect(form.controls.name.valid).toBe(true);
    expect(failure).toEqual({
      message: 'Invalid request',
      unplaced: ['currency must be ISO 4217'],
    });
  });

  it("names the form's own checks when the API has not answered", () => {
    const control = new FormControl('', Validators.required);
    expect(controlMessage(control)).toBe('Required');
  });
});
