import { MeterStatus } from '@gridwatch/contracts';
import { OTHER_ORGANIZATION_ID, aMeter, aSample, aSampleContext } from '../testing/ingest-fixtures';
import { validateDeviceSample } from './validate-sample';

describe('validateDeviceSample', () => {
  const device = aMeter({ gatewayId: null });
  const ctx = aSampleContext(device);
  const ts = new Date('2026-07-01T11:59:30Z');

  it('produces current, voltage and derived power readings', () => {
    expect(validateDeviceSample(aSample(), ctx)).toEqual({
      ok: true,
      accepted: [
        {
          meterId: device.id,
          ts,
          parameter: 'current_a',
          value: 5.2,
          unit: 'A',
          quality: 'good',
          outOfRange: false,
        },
        {
          meterId: device.id,
          ts,
          parameter: 'voltage_v',
          value: 230,
          unit: 'V',
          quality: 'good',
          outOfRange: false,
        },
        {
          meterId: device.id,
          ts,
          parameter: 'power_w',
          value: 5.2 * 230,
          unit: 'W',
          quality: 'good',
          outOfRange: false,
        },
      ],
    });
  });

  it('accepts a sample without attributes', () => {
    expect(validateDeviceSample(aSample({ attributes: undefined }), ctx).ok).toBe(true);
  });

  it('accepts zero current (the load is off)', () => {
    const result = validateDeviceSample(aSample({ current: 0 }), ctx);
    expect(result).toMatchObject({ ok: true, accepted: [{ value: 0 }, {}, { value: 0 }] });
  });

  it.each([
    ['null', null],
    ['an array', []],
    ['a string', 'ts=now'],
  ])('refuses a payload that is %s as invalid_payload', (_, payload) => {
    expect(validateDeviceSample(payload, ctx)).toMatchObject({
      ok: false,
      error: 'invalid_payload',
    });
  });

  it.each([
    ['an array', ['L1']],
    ['a string', 'L1'],
  ])('refuses attributes that are %s as invalid_payload', (_, attributes) => {
    expect(validateDeviceSample(aSample({ attributes }), ctx)).toMatchObject({
      error: 'invalid_payload',
    });
  });

  it.each([
    ['negative', -1],
    ['a string', '5.2'],
    ['NaN', Number.NaN],
    ['missing', undefined],
    ['null', null],
  ])('refuses a current that is %s as invalid_value', (_, current) => {
    expect(validateDeviceSample(aSample({ current }), ctx)).toEqual({
      ok: false,
      error: 'invalid_value',
      message: 'current must be a non-negative finite number',
    });
  });

  it('refuses a negative voltage as invalid_value', () => {
    expect(validateDeviceSample(aSample({ voltage: -230 }), ctx)).toMatchObject({
      error: 'invalid_value',
      message: 'voltage must be a non-negative finite number',
    });
  });

  it('refuses a sample whose power overflows to infinity', () => {
    expect(validateDeviceSample(aSample({ current: 1e200, voltage: 1e200 }), ctx)).toMatchObject({
      error: 'invalid_value',
    });
  });

  it.each([
    ['without an offset', '2026-07-01T11:59:30'],
    ['as unix seconds', 1782907170],
    ['missing', undefined],
  ])('refuses a ts %s as invalid_timestamp', (_, sampleTs) => {
    expect(validateDeviceSample(aSample({ ts: sampleTs }), ctx)).toMatchObject({
      error: 'invalid_timestamp',
    });
  });

  it('refuses a ts more than five minutes ahead as timestamp_in_future', () => {
    expect(validateDeviceSample(aSample({ ts: '2026-07-01T12:06:00Z' }), ctx)).toMatchObject({
      error: 'timestamp_in_future',
    });
  });

  it('refuses a ts older than maxAgeSeconds as timestamp_too_old', () => {
    const hour = aSampleContext(device, { maxAgeSeconds: 3600 });
    expect(validateDeviceSample(aSample({ ts: '2026-07-01T10:59:00Z' }), hour)).toMatchObject({
      error: 'timestamp_too_old',
    });
  });

  it('refuses a sample from a decommissioned device', () => {
    const retired = aMeter({ gatewayId: null, status: MeterStatus.Decommissioned });
    expect(validateDeviceSample(aSample(), aSampleContext(retired))).toMatchObject({
      ok: false,
      error: 'meter_decommissioned',
    });
  });

  it('refuses a device of another organization as unknown_meter', () => {
    const foreign = aMeter({ gatewayId: null, organizationId: OTHER_ORGANIZATION_ID });
    expect(validateDeviceSample(aSample(), aSampleContext(foreign))).toMatchObject({
      error: 'unknown_meter',
    });
  });

  it('marks an implausible voltage, and the power derived from it, questionable', () => {
    const result = validateDeviceSample(aSample({ current: 2, voltage: 400 }), ctx);
    expect(result).toMatchObject({
      ok: true,
      accepted: [
        { parameter: 'current_a', quality: 'good', outOfRange: false },
        { parameter: 'voltage_v', quality: 'questionable', outOfRange: true },
        { parameter: 'power_w', value: 800, quality: 'questionable', outOfRange: false },
      ],
    });
  });

  it('marks an implausible derived power out of range on its own', () => {
    const result = validateDeviceSample(aSample({ current: 4900, voltage: 250 }), ctx);
    expect(result).toMatchObject({
      accepted: [
        { outOfRange: false },
        { outOfRange: false },
        { parameter: 'power_w', value: 1_225_000, outOfRange: true, quality: 'questionable' },
      ],
    });
  });

  it("applies the device's range overrides", () => {
    const usDevice = aMeter({
      gatewayId: null,
      rangeOverrides: { voltage_v: { min: 100, max: 130 } },
    });
    const result = validateDeviceSample(aSample({ voltage: 120 }), aSampleContext(usDevice));
    expect(result).toMatchObject({ accepted: [{}, { outOfRange: false, quality: 'good' }, {}] });
  });
});
