import type { TariffBandRule, TariffDocument, TariffPeriod } from '@gridwatch/contracts';
import { isValidCalendarDate } from './calendar';

/** Bands are at half-hour resolution: 48 slots a day. */
export const TARIFF_SLOTS_PER_DAY = 48;
const DAY_NAMES = [
  '',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
];
const HALF_HOUR = /^([01]\d|2[0-3]):(00|30)$|^24:00$/;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface TariffProblem {
  field: string;
  message: string;
}

/** Half-hour slot index of "HH:MM" (0..48), or undefined when not on a half hour. */
export function halfHourSlot(time: string): number | undefined {
  if (!HALF_HOUR.test(time)) return undefined;
  const [hours, minutes] = time.split(':').map(Number);
  return hours * 2 + minutes / 30;
}

function slotTime(slot: number): string {
  const minutes = slot * 30;
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export function isLocalDate(value: string): boolean {
  const match = LOCAL_DATE.exec(value);
  return !!match && isValidCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

/**
 * Everything wrong with a tariff document beyond its shape: band times off the half hour, bands
 * that leave a gap or overlap on some weekday (named, e.g. "Wednesday 07:00-07:30 is covered by no
 * band"), fields of the other tariff type, and periods whose dates overlap.
 */
export function tariffProblems(tariff: TariffDocument): TariffProblem[] {
  const problems: TariffProblem[] = [];
  if (tariff.periods.length === 0)
    problems.push({ field: 'periods', message: 'at least one period is required' });
  tariff.periods.forEach((period, index) =>
    problems.push(...periodProblems(tariff.type, period, `periods.${index}`)),
  );
  problems.push(...periodOverlaps(tariff.periods));
  return problems;
}

function periodProblems(type: TariffDocument['type'], period: TariffPeriod, field: string) {
  const problems: TariffProblem[] = [];
  if (!isLocalDate(period.validFrom))
    problems.push({ field: `${field}.validFrom`, message: 'must be a date as YYYY-MM-DD' });
  if (period.validTo !== undefined) {
    if (!isLocalDate(period.validTo))
      problems.push({ field: `${field}.validTo`, message: 'must be a date as YYYY-MM-DD' });
    else if (period.validTo <= period.validFrom)
      problems.push({ field: `${field}.validTo`, message: 'must be later than validFrom' });
  }
  if (type === 'flat') {
    if (period.price === undefined)
      problems.push({ field: `${field}.price`, message: 'a flat tariff needs a price' });
    if (period.bands !== undefined)
      problems.push({ field: `${field}.bands`, message: 'a flat tariff has no bands' });
    return problems;
  }
  if (period.price !== undefined)
    problems.push({ field: `${field}.price`, message: 'a time-of-use tariff prices its bands' });
  if (!period.bands || period.bands.length === 0) {
    problems.push({ field: `${field}.bands`, message: 'a time-of-use tariff needs bands' });
    return problems;
  }
  return [...problems, ...bandProblems(period.bands, `${field}.bands`)];
}

/** Each weekday's 48 half-hours must be claimed by exactly one band. */
function bandProblems(bands: TariffBandRule[], field: string): TariffProblem[] {
  const problems: TariffProblem[] = [];
  const owners: number[][][] = Array.from({ length: 8 }, () =>
    Array.from({ length: TARIFF_SLOTS_PER_DAY }, () => []),
  );
  bands.forEach((band, index) => {
    const from = halfHourSlot(band.from);
    const to = halfHourSlot(band.to);
    const at = `${field}.${index}`;
    if (from === undefined || from === TARIFF_SLOTS_PER_DAY)
      problems.push({ field: `${at}.from`, message: 'must be HH:MM on the hour or half hour' });
    if (to === undefined)
      problems.push({
        field: `${at}.to`,
        message: 'must be HH:MM on the hour or half hour, or 24:00',
      });
    if (from !== undefined && to !== undefined && to <= from)
      problems.push({
        field: `${at}.to`,
        message: 'must be later than from (split a night band at 24:00)',
      });
    const badDays = band.days.filter((day) => !Number.isInteger(day) || day < 1 || day > 7);
    if (badDays.length > 0 || band.days.length === 0)
      problems.push({
        field: `${at}.days`,
        message: 'must list ISO weekdays 1 (Monday) to 7 (Sunday)',
      });
    if (problems.length > 0 || from === undefined || to === undefined) return;
    for (const day of band.days)
      for (let slot = from; slot < to; slot++) owners[day][slot].push(index);
  });
  if (problems.length > 0) return problems;
  for (let day = 1; day <= 7; day++) {
    const problem = firstCoverageProblem(owners[day]);
    if (problem) problems.push({ field, message: `${DAY_NAMES[day]} ${problem}` });
  }
  return problems;
}

/** The first run of half-hours owned by no band or by several, in words. */
function firstCoverageProblem(owners: number[][]): string | undefined {
  const bad = owners.findIndex((slot) => slot.length !== 1);
  if (bad < 0) return undefined;
  const key = owners[bad].join();
  let end = bad + 1;
  while (end < owners.length && owners[end].length !== 1 && owners[end].join() === key) end++;
  const span = `${slotTime(bad)}-${slotTime(end)}`;
  if (owners[bad].length === 0) return `${span} is covered by no band`;
  return `${span} is covered by bands ${owners[bad].join(' and ')} (overlap)`;
}

function periodOverlaps(periods: TariffPeriod[]): TariffProblem[] {
  const ordered = periods
    .map((period, index) => ({ period, index }))
    .filter(({ period }) => isLocalDate(period.validFrom))
    .sort((a, b) => a.period.validFrom.localeCompare(b.period.validFrom));
  const problems: TariffProblem[] = [];
  for (let i = 1; i < ordered.length; i++) {
    const previous = ordered[i - 1];
    const current = ordered[i];
    const previousEnd = previous.period.validTo;
    if (
      previous.period.validFrom === current.period.validFrom ||
      (previousEnd && previousEnd > current.period.validFrom)
    )
      problems.push({
        field: `periods.${current.index}.validFrom`,
        message: `overlaps period ${previous.index} (from ${previous.period.validFrom})`,
      });
  }
  return problems;
}

/**
 * The period in force on a local date: the latest one starting on or before it, unless its
 * validTo has passed. Undefined when no price applies that day.
 */
export function tariffPeriodOn(
  tariff: TariffDocument,
  localDate: string,
): TariffPeriod | undefined {
  let found: TariffPeriod | undefined;
  for (const period of tariff.periods) {
    if (period.validFrom > localDate) continue;
    if (!found || period.validFrom > found.validFrom) found = period;
  }
  if (found?.validTo !== undefined && found.validTo <= localDate) return undefined;
  return found;
}

export interface TariffRate {
  price: number;
  /** The band's name, or "HH:MM-HH:MM" when it has none; "flat" for a flat tariff. */
  band: string;
}

/**
 * The price of energy used at a local date, ISO weekday and minute of the day (0..1439), or
 * undefined when no period applies. Whole half-hours share one price.
 */
export function tariffRateAt(
  tariff: TariffDocument,
  localDate: string,
  isoWeekday: number,
  minuteOfDay: number,
): TariffRate | undefined {
  const period = tariffPeriodOn(tariff, localDate);
  if (!period) return undefined;
  if (tariff.type === 'flat') return { price: period.price ?? 0, band: 'flat' };
  const slot = Math.floor(minuteOfDay / 30);
  const band = (period.bands ?? []).find(
    (rule) =>
      rule.days.includes(isoWeekday) &&
      (halfHourSlot(rule.from) ?? 0) <= slot &&
      slot < (halfHourSlot(rule.to) ?? 0),
  );
  if (!band) return undefined;
  return { price: band.price, band: band.name ?? `${band.from}-${band.to}` };
}

/** The standing charge of the local days in force (a day with no period costs nothing). */
export function standingChargeOn(tariff: TariffDocument, localDate: string): number {
  return tariffPeriodOn(tariff, localDate) ? tariff.standingChargePerDay : 0;
}
