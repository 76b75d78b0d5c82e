import { daysInMonth, isValidCalendarDate, utcMillis } from './calendar';

describe('calendar', () => {
  it('counts the days of each month, with leap Februaries', () => {
    expect(daysInMonth(2026, 1)).toBe(31);
    expect(daysInMonth(2026, 2)).toBe(28);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(2026, 4)).toBe(30);
    expect(daysInMonth(2026, 12)).toBe(31);
  });

  it('accepts real days and refuses impossible ones', () => {
    expect(isValidCalendarDate(2024, 2, 29)).toBe(true);
    expect(isValidCalendarDate(2026, 2, 29)).toBe(false);
    expect(isValidCalendarDate(2026, 4, 31)).toBe(false);
    expect(isValidCalendarDate(2026, 13, 1)).toBe(false);
    expect(isValidCalendarDate(2026, 0, 1)).toBe(false);
    expect(isValidCalendarDate(2026, 1, 0)).toBe(false);
    expect(isValidCalendarDate(2026, 1.5, 1)).toBe(false);
  });

  it('matches Date.UTC for modern dates', () => {
    expect(utcMillis(2026, 3, 29, 1, 2, 3, 4)).toBe(Date.UTC(2026, 2, 29, 1, 2, 3, 4));
  });

  it('keeps years below 100 where they are', () => {
    expect(new Date(utcMillis(42, 1, 1)).getUTCFullYear()).toBe(42);
  });

  it('rolls fields past their range over', () => {
    expect(utcMillis(2026, 12, 31, 23, 59, 60)).toBe(Date.UTC(2027, 0, 1));
  });
});
