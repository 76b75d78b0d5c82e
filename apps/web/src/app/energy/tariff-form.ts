import { FormArray, FormControl, FormGroup, Validators } from '@angular/forms';
import type { TariffBandRule, TariffDocument, TariffPeriod } from '@gridwatch/contracts';

export type TariffType = TariffDocument['type'];

/** ISO weekdays as the band editor offers them. */
export const ISO_WEEKDAYS: readonly { day: number; label: string }[] = [
  { day: 1, label: 'Mon' },
  { day: 2, label: 'Tue' },
  { day: 3, label: 'Wed' },
  { day: 4, label: 'Thu' },
  { day: 5, label: 'Fri' },
  { day: 6, label: 'Sat' },
  { day: 7, label: 'Sun' },
];
const EVERY_DAY = ISO_WEEKDAYS.map(({ day }) => day);

export type BandForm = FormGroup<{
  days: FormControl<number[]>;
  from: FormControl<string>;
  to: FormControl<string>;
  price: FormControl<number | null>;
  name: FormControl<string>;
}>;

export type PeriodForm = FormGroup<{
  validFrom: FormControl<string>;
  validTo: FormControl<string>;
  price: FormControl<number | null>;
  bands: FormArray<BandForm>;
}>;

/** Mirrors the tariff document, so the API's field paths (`periods.0.bands.1.to`) name controls. */
export type TariffForm = FormGroup<{
  type: FormControl<TariffType>;
  currency: FormControl<string>;
  standingChargePerDay: FormControl<number | null>;
  periods: FormArray<PeriodForm>;
}>;

export type TariffFormValue = ReturnType<TariffForm['getRawValue']>;

export function bandForm(band?: Partial<TariffBandRule>): BandForm {
  return new FormGroup({
    days: new FormControl<number[]>(band?.days ?? [...EVERY_DAY], { nonNullable: true }),
    from: new FormControl(band?.from ?? '00:00', { nonNullable: true }),
    to: new FormControl(band?.to ?? '24:00', { nonNullable: true }),
    price: new FormControl<number | null>(band?.price ?? null),
    name: new FormControl(band?.name ?? '', { nonNullable: true }),
  });
}

export function periodForm(period: Partial<TariffPeriod> & { validFrom: string }): PeriodForm {
  return new FormGroup({
    validFrom: new FormControl(period.validFrom, {
      nonNullable: true,
      validators: [Validators.required],
    }),
    validTo: new FormControl(period.validTo ?? '', { nonNullable: true }),
    price: new FormControl<number | null>(period.price ?? null),
    bands: new FormArray((period.bands ?? []).map((band) => bandForm(band))),
  });
}

/** The editor's form holding `document`. */
export function tariffForm(document: TariffDocument): TariffForm {
  return new FormGroup({
    type: new FormControl<TariffType>(document.type, { nonNullable: true }),
    currency: new FormControl(document.currency, {
      nonNullable: true,
      validators: [Validators.required],
    }),
    standingChargePerDay: new FormControl<number | null>(document.standingChargePerDay, [
      Validators.required,
      Validators.min(0),
    ]),
    periods: new FormArray(document.periods.map((period) => periodForm(period))),
  });
}

/** What a site without a tariff starts from: flat, in force from `today` (YYYY-MM-DD). */
export function newTariff(today: string, currency = 'GBP'): TariffDocument {
  return { type: 'flat', currency, standingChargePerDay: 0, periods: [{ validFrom: today }] };
}

/**
 * The document to PUT: the fields of the chosen type only (a flat period's price, a time-of-use
 * period's bands), an empty end date or band name left out, the days in weekday order. Whether
 * the bands cover each day exactly once is the API's to say (its 400 names the gap or overlap).
 */
export function tariffDocumentOf(value: TariffFormValue): TariffDocument {
  const flat = value.type === 'flat';
  return {
    type: value.type,
    currency: value.currency.trim().toUpperCase(),
    standingChargePerDay: value.standingChargePerDay ?? 0,
    periods: value.periods.map((period) => ({
      validFrom: period.validFrom.trim(),
      ...(period.validTo.trim() !== '' && { validTo: period.validTo.trim() }),
      ...(flat
        ? period.price !== null && { price: period.price }
        : {
            bands: period.bands.map((band) => ({
              days: [...band.days].sort((a, b) => a - b),
              from: band.from.trim(),
              to: band.to.trim(),
              price: band.price ?? Number.NaN,
              ...(band.name.trim() !== '' && { name: band.name.trim() }),
            })),
          }),
    })),
  };
}

/** A band's days in words: "Every day", "Mon–Fri", "Sat, Sun". */
export function daysInWords(days: readonly number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  if (sorted.length === 7) return 'Every day';
  const label = (day: number) => ISO_WEEKDAYS.find((entry) => entry.day === day)?.label ?? '?';
  const consecutive = sorted.every((day, index) => index === 0 || day === sorted[index - 1] + 1);
  if (consecutive && sorted.length >= 3)
    return `${label(sorted[0])}–${label(sorted[sorted.length - 1])}`;
  return sorted.map(label).join(', ');
}
