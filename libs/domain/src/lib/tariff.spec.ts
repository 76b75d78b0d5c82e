import type { TariffDocument } from '@gridwatch/contracts';
import { standingChargeOn, tariffPeriodOn, tariffProblems, tariffRateAt } from './tariff';

const ALL_DAYS = [1, 2, 3, 4, 5, 6, 7];
const touTariff = (bands: TariffDocument['periods'][number]['bands']): TariffDocument => ({
  type: 'time_of_use',
  currency: 'GBP',
  standingChargePerDay: 0.5,
  periods: [{ validFrom: '2026-01-01', bands }],
});

describe('tariff documents', () => {
  it('accepts bands that cover every day once, edges on half-hours and 24:00', () => {
    const tariff = touTariff([
      { days: ALL_DAYS, from: '00:00', to: '07:30', price: 0.1, name: 'night' },
      { days: ALL_DAYS, from: '07:30', to: '24:00', price: 0.3, name: 'day' },
    ]);
    expect(tariffProblems(tariff)).toEqual([]);
  });

  it('names the first gap of a day', () => {
    const tariff = touTariff([
      { days: ALL_DAYS, from: '00:00', to: '07:00', price: 0.1 },
      { days: [1, 2, 4, 5, 6, 7], from: '07:00', to: '24:00', price: 0.3 },
      { days: [3], from: '07:30', to: '24:00', price: 0.3 },
    ]);
    expect(tariffProblems(tariff)).toEqual([
      { field: 'periods.0.bands', message: 'Wednesday 07:00-07:30 is covered by no band' },
    ]);
  });

  it('names an overlap and the bands in it', () => {
    const tariff = touTariff([
      { days: ALL_DAYS, from: '00:00', to: '09:00', price: 0.1 },
      { days: ALL_DAYS, from: '08:00', to: '24:00', price: 0.3 },
    ]);
    expect(tariffProblems(tariff)[0]).toEqual({
      field: 'periods.0.bands',
      message: 'Monday 08:00-09:00 is covered by bands 0 and 1 (overlap)',
    });
  });

  it('refuses times off the half hour, wrapping bands, bad weekdays and overlapping periods', () => {
    const problems = tariffProblems({
      type: 'time_of_use',
      currency: 'GBP',
      standingChargePerDay: 0,
      periods: [
        {
          validFrom: '2026-01-01',
          bands: [{ days: [0, 8], from: '07:15', to: '24:00', price: 1 }],
        },
        { validFrom: '2026-01-01', bands: [{ days: [1], from: '22:00', to: '06:00', price: 1 }] },
      ],
    });
    expect(problems.map((problem) => problem.field)).toEqual([
      'periods.0.bands.0.from',
      'periods.0.bands.0.days',
      'periods.1.bands.0.to',
      'periods.1.validFrom',
    ]);
  });

  it('refuses a flat period without a price and validTo before validFrom', () => {
    expect(
      tariffProblems({
        type: 'flat',
        currency: 'EUR',
        standingChargePerDay: 0,
        periods: [{ validFrom: '2026-02-01', validTo: '2026-01-01' }],
      }).map((problem) => problem.field),
    ).toEqual(['periods.0.validTo', 'periods.0.price']);
  });

  it('prices by the period in force on the local date, and the band of the half-hour', () => {
    const tariff: TariffDocument = {
      type: 'time_of_use',
      currency: 'GBP',
      standingChargePerDay: 0.5,
      periods: [
        {
          validFrom: '2026-01-01',
          bands: [{ days: ALL_DAYS, from: '00:00', to: '24:00', price: 0.2 }],
        },
        {
          validFrom: '2026-03-10',
          validTo: '2026-04-01',
          bands: [
            { days: ALL_DAYS, from: '00:00', to: '07:30', price: 0.1, name: 'night' },
            { days: ALL_DAYS, from: '07:30', to: '24:00', price: 0.3, name: 'day' },
          ],
        },
      ],
    };
    expect(tariffRateAt(tariff, '2026-03-09', 1, 7 * 60 + 29)).toEqual({
      price: 0.2,
      band: '00:00-24:00',
    });
    expect(tariffRateAt(tariff, '2026-03-10', 2, 7 * 60 + 29)).toEqual({
      price: 0.1,
      band: 'night',
    });
    expect(tariffRateAt(tariff, '2026-03-10', 2, 7 * 60 + 30)).toEqual({ price: 0.3, band: 'day' });
    expect(tariffPeriodOn(tariff, '2026-04-01')).toBeUndefined();
    expect(standingChargeOn(tariff, '2026-03-31')).toBe(0.5);
    expect(standingChargeOn(tariff, '2025-12-31')).toBe(0);
  });
});
