import {
  hoursFieldsOf,
  hoursSummary,
  operatingHoursFrom,
  type HoursFields,
} from './operating-hours';

const closed = { open: '', close: '' };
const week = (overrides: Partial<HoursFields>): HoursFields => ({
  mon: closed,
  tue: closed,
  wed: closed,
  thu: closed,
  fri: closed,
  sat: closed,
  sun: closed,
  ...overrides,
});

describe('operatingHoursFrom', () => {
  it('leaves closed days out and keeps the open ones', () => {
    expect(operatingHoursFrom(week({ mon: { open: '08:00', close: '18:00' } }))).toEqual({
      mon: { open: '08:00', close: '18:00' },
    });
  });

  it('sends a half-filled day as typed, for the API to name what is missing', () => {
    expect(operatingHoursFrom(week({ sat: { open: '09:00', close: '' } }))).toEqual({
      sat: { open: '09:00', close: '' },
    });
  });

  it('round-trips what the API answered', () => {
    const hours = { fri: { open: '07:30', close: '24:00' } };
    expect(operatingHoursFrom(hoursFieldsOf(hours))).toEqual(hours);
  });
});

describe('hoursSummary', () => {
  it('names the open days in week order', () => {
    expect(
      hoursSummary({
        sat: { open: '09:00', close: '13:00' },
        mon: { open: '08:00', close: '18:00' },
      }),
    ).toBe('Mon 08:00–18:00 · Sat 09:00–13:00');
    expect(hoursSummary({})).toBe('Closed every day');
  });
});
