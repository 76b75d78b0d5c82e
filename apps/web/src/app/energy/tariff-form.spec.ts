import type { TariffDocument } from '@gridwatch/contracts';
import { applyApiErrors } from '../shared/form-errors';
import { HttpErrorResponse } from '@angular/common/http';
import { daysInWords, newTariff, tariffDocumentOf, tariffForm } from './tariff-form';

const TIME_OF_USE: TariffDocument = {
  type: 'time_of_use',
  currency: 'GBP',
  standingChargePerDay: 0.45,
  periods: [
    {
      validFrom: '2026-01-01',
      validTo: '2026-07-01',
      bands: [
        { days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '07:30', price: 0.12, name: 'night' },
        { days: [1, 2, 3, 4, 5, 6, 7], from: '07:30', to: '24:00', price: 0.3 },
      ],
    },
    { validFrom: '2026-07-01', bands: [{ days: [7, 1], from: '00:00', to: '24:00', price: 0.25 }] },
  ],
};

describe('tariff form', () => {
  it('gives back the document it was filled with', () => {
    const form = tariffForm(TIME_OF_USE);
    const document = tariffDocumentOf(form.getRawValue());
    expect(document.periods[0]).toEqual(TIME_OF_USE.periods[0]);
    // Days in weekday order, whatever order they were picked in.
    expect(document.periods[1]).toEqual({
      validFrom: '2026-07-01',
      bands: [{ days: [1, 7], from: '00:00', to: '24:00', price: 0.25 }],
    });
  });

  it('sends only the fields of the chosen type', () => {
    const form = tariffForm(TIME_OF_USE);
    form.controls.type.setValue('flat');
    form.controls.periods.at(0).controls.price.setValue(0.2);
    const document = tariffDocumentOf(form.getRawValue());
    expect(document.type).toBe('flat');
    expect(document.periods[0]).toEqual({
      validFrom: '2026-01-01',
      validTo: '2026-07-01',
      price: 0.2,
    });
    // A flat period without a price is sent without one: the API says it is missing.
    expect(document.periods[1]).toEqual({ validFrom: '2026-07-01' });
  });

  it('tidies what was typed: currency upper case, empty end date and band name left out', () => {
    const form = tariffForm(newTariff('2026-12-07'));
    form.controls.currency.setValue(' eur ');
    form.controls.periods.at(0).controls.validTo.setValue('  ');
    expect(tariffDocumentOf(form.getRawValue())).toEqual({
      type: 'flat',
      currency: 'EUR',
      standingChargePerDay: 0,
      periods: [{ validFrom: '2026-12-07' }],
    });
  });

  it("puts the API's messages on the band they name", () => {
    const form = tariffForm(TIME_OF_USE);
    const failure = applyApiErrors(
      form,
      new HttpErrorResponse({
        status: 400,
        error: {
          error: 'invalid_tariff',
          message: 'Invalid tariff: periods.0.bands.1.to must be later than from',
          details: [
            { field: 'periods.0.bands.1.to', messages: ['must be later than from'] },
            { field: 'periods.1.bands', messages: ['Tuesday is not covered'] },
          ],
        },
      }),
    );
    expect(failure.message).toBe('Invalid tariff: periods.0.bands.1.to must be later than from');
    expect(failure.unplaced).toEqual([]);
    const period = form.controls.periods.at(0);
    expect(period.controls.bands.at(1).controls.to.errors).toEqual({
      api: 'must be later than from',
    });
    expect(form.controls.periods.at(1).controls.bands.errors).toEqual({
      api: 'Tuesday is not covered',
    });
  });
});

describe('daysInWords', () => {
  it('says a run of days as a range and other picks as a list', () => {
    expect(daysInWords([1, 2, 3, 4, 5, 6, 7])).toBe('Every day');
    expect(daysInWords([5, 1, 2, 3, 4])).toBe('Mon–Fri');
    expect(daysInWords([6, 7])).toBe('Sat, Sun');
  });
});
