import { MeterStatus } from '@gridwatch/contracts';
import {
  GATEWAY_SERIAL,
  OTHER_GATEWAY_ID,
  OTHER_ORGANIZATION_ID,
  aBatch,
  aBatchContext,
  aMeter,
  aReading,
} from '../testing/ingest-fixtures';
import { GatewayBatchValidation } from './ingest-result';
import { validateGatewayBatch } from './validate-batch';

function accepted(result: GatewayBatchValidation) {
  if (!result.ok) {
    throw new Error(`expected a validated batch, got ${result.error}: ${result.message}`);
  }
  return result;
}

describe('validateGatewayBatch', () => {
  const meter = aMeter();
  const ctx = aBatchContext([meter]);

  describe('a valid batch', () => {
    it('normalises every reading and rejects none', () => {
      const result = validateGatewayBatch(
        aBatch([
          aReading(meter, { parameter: 'energy_kwh', value: 1234.5, unit: 'kWh' }),
          aReading(meter, { parameter: 'power_w', value: 2.5, unit: 'kW', quality: 'estimated' }),
        ]),
        ctx,
      );
      expect(result).toEqual({
        ok: true,
        accepted: [
          {
            meterId: meter.id,
            parameter: 'energy_kwh',
            ts: new Date('2026-07-01T11:59:00Z'),
            value: 1234.5,
            unit: 'kWh',
            quality: 'good',
            outOfRange: false,
          },
          {
            meterId: meter.id,
            parameter: 'power_w',
            ts: new Date('2026-07-01T11:59:00Z'),
            value: 2500,
            unit: 'W',
            quality: 'estimated',
            outOfRange: false,
          },
        ],
        rejected: [],
      });
    });

    it("uses a reading's own timestamp over the batch's", () => {
      const result = accepted(
        validateGatewayBatch(
          aBatch([aReading(meter, { timestamp: '2026-07-01T13:30:00+02:00' })]),
          ctx,
        ),
      );
      expect(result.accepted[0].ts).toEqual(new Date('2026-07-01T11:30:00Z'));
    });

    it("falls back to the batch's timestamp when a reading's is null", () => {
      const result = accepted(
        validateGatewayBatch(aBatch([aReading(meter, { timestamp: null })]), ctx),
      );
      expect(result.accepted[0].ts).toEqual(new Date('2026-07-01T11:59:00Z'));
    });

    it('answers the canonical meter id when the device upper-cases it', () => {
      const result = accepted(
        validateGatewayBatch(aBatch([aReading(meter, { meter_id: meter.id.toUpperCase() })]), ctx),
      );
      expect(result.accepted[0].meterId).toBe(meter.id);
    });

    it('ignores fields it does not know', () => {
      const result = accepted(
        validateGatewayBatch(
          aBatch([aReading(meter, { firmware: '1.2' })], { signal_strength: -70 }),
          ctx,
        ),
      );
      expect(result.accepted).toHaveLength(1);
    });

    it('accepts a gateway_serial that matches the authenticated gateway', () => {
      const result = validateGatewayBatch(
        aBatch([aReading(meter)]),
        aBatchContext([meter], { gatewaySerial: GATEWAY_SERIAL }),
      );
      expect(result.ok).toBe(true);
    });
  });

  describe('refusing the whole payload', () => {
    it.each([
      ['null', null],
      ['an array', [aReading(meter)]],
      ['a string', '{"gateway_serial":"GW-0001"}'],
      ['a number', 42],
    ])('refuses a payload that is %s as invalid_payload', (_, payload) => {
      expect(validateGatewayBatch(payload, ctx)).toMatchObject({
        ok: false,
        error: 'invalid_payload',
      });
    });

    it.each([
      ['missing', undefined],
      ['empty', ''],
      ['blank', '   '],
      ['a number', 1001],
      ['too long', 'x'.repeat(129)],
    ])('refuses a gateway_serial that is %s as invalid_gateway_serial', (_, serial) => {
      expect(
        validateGatewayBatch(aBatch([aReading(meter)], { gateway_serial: serial }), ctx),
      ).toMatchObject({
        ok: false,
        error: 'invalid_gateway_serial',
      });
    });

    it('refuses a gateway_serial other than the authenticated gateway', () => {
      expect(
        validateGatewayBatch(
          aBatch([aReading(meter)], { gateway_serial: 'GW-9999' }),
          aBatchContext([meter], { gatewaySerial: GATEWAY_SERIAL }),
        ),
      ).toMatchObject({ ok: false, error: 'gateway_serial_mismatch' });
    });

    it.each([
      ['missing', undefined],
      ['without an offset', '2026-07-01T11:59:00'],
      ['unix seconds', 1782907140],
      ['not a date', 'now'],
    ])('refuses a batch timestamp that is %s as invalid_timestamp', (_, timestamp) => {
      expect(validateGatewayBatch(aBatch([aReading(meter)], { timestamp }), ctx)).toMatchObject({
        ok: false,
        error: 'invalid_timestamp',
      });
    });

    it.each([
      ['missing', undefined],
      ['an object', { 0: {} }],
      ['a string', '[]'],
    ])('refuses readings that are %s as invalid_readings', (_, readings) => {
      expect(validateGatewayBatch(aBatch([], { readings }), ctx)).toMatchObject({
        ok: false,
        error: 'invalid_readings',
      });
    });

    it('refuses an empty batch as empty_batch', () => {
      expect(validateGatewayBatch(aBatch([]), ctx)).toMatchObject({
        ok: false,
        error: 'empty_batch',
      });
    });

    it('refuses more than 5000 readings by default as too_many_readings', () => {
      const readings = Array.from({ length: 5001 }, () => aReading(meter));
      expect(validateGatewayBatch(aBatch(readings), ctx)).toEqual({
        ok: false,
        error: 'too_many_readings',
        message: 'a batch holds at most 5000 readings, not 5001',
      });
    });

    it('accepts exactly maxReadings readings and refuses one more', () => {
      const small = aBatchContext([meter], { maxReadings: 2 });
      const two = [0, 1].map((minute) =>
        aReading(meter, { timestamp: `2026-07-01T11:5${minute}:00Z` }),
      );
      expect(validateGatewayBatch(aBatch(two), small).ok).toBe(true);
      expect(validateGatewayBatch(aBatch([...two, aReading(meter)]), small)).toMatchObject({
        error: 'too_many_readings',
      });
    });
  });

  describe('rejecting single readings', () => {
    function rejection(reading: unknown, context = ctx) {
      const result = accepted(validateGatewayBatch(aBatch([reading]), context));
      expect(result.accepted).toEqual([]);
      return result.rejected[0];
    }

    it.each([
      ['null', null],
      ['a number', 3],
      ['an array', []],
    ])('rejects a reading that is %s as invalid_reading', (_, reading) => {
      expect(rejection(reading)).toMatchObject({ index: 0, error: 'invalid_reading' });
    });

    it('rejects a meter_id that is not a UUID as unknown_meter', () => {
      expect(rejection(aReading(meter, { meter_id: '17' }))).toMatchObject({
        error: 'unknown_meter',
      });
    });

    it('rejects a meter that is not in the organization as unknown_meter', () => {
      expect(rejection(aReading(aMeter()))).toMatchObject({ error: 'unknown_meter' });
    });

    it("gives another organization's meter the same answer as a meter that does not exist", () => {
      const foreign = aMeter({ organizationId: OTHER_ORGANIZATION_ID });
      const missing = aMeter();
      const context = aBatchContext([meter, foreign]);
      const foreignAnswer = rejection(aReading(foreign), context);
      const missingAnswer = rejection(aReading(missing), context);
      expect(foreignAnswer.error).toBe(missingAnswer.error);
      expect(foreignAnswer.message.replace(foreign.id, 'ID')).toBe(
        missingAnswer.message.replace(missing.id, 'ID'),
      );
    });

    it('rejects a meter wired to another gateway as unknown_meter', () => {
      const elsewhere = aMeter({ gatewayId: OTHER_GATEWAY_ID });
      expect(rejection(aReading(elsewhere), aBatchContext([elsewhere]))).toMatchObject({
        error: 'unknown_meter',
      });
    });

    it('rejects a decommissioned meter as meter_decommissioned', () => {
      const retired = aMeter({ status: MeterStatus.Decommissioned });
      expect(rejection(aReading(retired), aBatchContext([retired]))).toMatchObject({
        error: 'meter_decommissioned',
      });
    });

    it('rejects a parameter outside the vocabulary as unknown_parameter', () => {
      expect(rejection(aReading(meter, { parameter: 'consumption' }))).toMatchObject({
        error: 'unknown_parameter',
      });
    });

    it('rejects a unit of another parameter as unknown_unit', () => {
      expect(rejection(aReading(meter, { unit: 'kWh' }))).toMatchObject({ error: 'unknown_unit' });
    });

    it.each([
      ['a string', '1500'],
      ['null', null],
      ['a boolean', false],
      ['missing', undefined],
    ])('rejects a value that is %s as invalid_value', (_, value) => {
      expect(rejection(aReading(meter, { value }))).toMatchObject({ error: 'invalid_value' });
    });

    it('rejects a value that overflows to infinity in the canonical unit as invalid_value', () => {
      expect(
        rejection(aReading(meter, { parameter: 'power_w', value: 1.7e308, unit: 'kW' })),
      ).toMatchObject({ index: 0, error: 'invalid_value' });
    });

    it('rejects an unknown quality as invalid_quality', () => {
      expect(rejection(aReading(meter, { quality: 'perfect' }))).toMatchObject({
        error: 'invalid_quality',
      });
    });

    it.each([
      ['without an offset', '2026-07-01T11:00:00'],
      ['a number', 1782907140],
      ['empty', ''],
    ])("rejects a reading's own timestamp %s as invalid_timestamp", (_, timestamp) => {
      expect(rejection(aReading(meter, { timestamp }))).toMatchObject({
        error: 'invalid_timestamp',
      });
    });

    it('rejects a reading more than maxFutureSeconds ahead as timestamp_in_future', () => {
      expect(rejection(aReading(meter, { timestamp: '2026-07-01T12:05:01Z' }))).toMatchObject({
        error: 'timestamp_in_future',
      });
      expect(
        accepted(
          validateGatewayBatch(
            aBatch([aReading(meter, { timestamp: '2026-07-01T12:05:00Z' })]),
            ctx,
          ),
        ).accepted,
      ).toHaveLength(1);
    });

    it('rejects a reading older than maxAgeSeconds as timestamp_too_old', () => {
      const day = aBatchContext([meter], { maxAgeSeconds: 86_400 });
      expect(rejection(aReading(meter, { timestamp: '2026-06-30T11:59:59Z' }), day)).toMatchObject({
        error: 'timestamp_too_old',
      });
    });

    it("applies the time rules to the batch's timestamp when a reading has none", () => {
      const result = accepted(
        validateGatewayBatch(aBatch([aReading(meter)], { timestamp: '2026-07-01T13:00:00Z' }), ctx),
      );
      expect(result.rejected).toMatchObject([{ index: 0, error: 'timestamp_in_future' }]);
    });

    it("lets a reading's own timestamp rescue it from a stale batch timestamp", () => {
      const result = accepted(
        validateGatewayBatch(
          aBatch([aReading(meter, { timestamp: '2026-07-01T11:00:00Z' })], {
            timestamp: '2020-01-01T00:00:00Z',
          }),
          ctx,
        ),
      );
      expect(result.accepted).toHaveLength(1);
    });
  });

  describe('partial acceptance', () => {
    it('accepts the good readings and reports each bad one by its index', () => {
      const result = validateGatewayBatch(
        aBatch([
          aReading(meter, { parameter: 'voltage_v', value: 230, unit: 'V' }),
          aReading(meter, { parameter: 'voltage_v', value: 'high' }),
          aReading(meter, { parameter: 'current_a', value: 12, unit: 'A' }),
          aReading(aMeter()),
        ]),
        ctx,
      );
      expect(result).toMatchObject({
        ok: true,
        accepted: [{ parameter: 'voltage_v' }, { parameter: 'current_a' }],
        rejected: [
          {
            index: 1,
            error: 'invalid_value',
            message: 'value of voltage_v must be a finite number',
          },
          { index: 3, error: 'unknown_meter' },
        ],
      });
    });

    it('answers ok with nothing accepted when every reading is rejected', () => {
      const result = validateGatewayBatch(aBatch([aReading(aMeter()), aReading(aMeter())]), ctx);
      expect(result).toMatchObject({
        ok: true,
        accepted: [],
        rejected: [{ index: 0 }, { index: 1 }],
      });
    });
  });

  describe('out-of-range values', () => {
    it('accepts an implausible value as questionable and out of range', () => {
      const result = accepted(
        validateGatewayBatch(
          aBatch([aReading(meter, { parameter: 'voltage_v', value: 400, unit: 'V' })]),
          ctx,
        ),
      );
      expect(result.accepted[0]).toMatchObject({ outOfRange: true, quality: 'questionable' });
      expect(result.rejected).toEqual([]);
    });

    it("judges the range in canonical units against the meter's overrides", () => {
      const exporter = aMeter({ rangeOverrides: { power_w: { min: -20_000 } } });
      const result = accepted(
        validateGatewayBatch(
          aBatch([
            aReading(exporter, { parameter: 'power_w', value: -15, unit: 'kW' }),
            aReading(meter, { parameter: 'power_w', value: -15, unit: 'kW' }),
          ]),
          aBatchContext([exporter, meter]),
        ),
      );
      expect(result.accepted).toMatchObject([
        { meterId: exporter.id, value: -15_000, outOfRange: false, quality: 'good' },
        { meterId: meter.id, value: -15_000, outOfRange: true, quality: 'questionable' },
      ]);
    });
  });

  describe('duplicates inside a batch', () => {
    it('accepts the first (meter, parameter, ts) and rejects later repeats', () => {
      const result = accepted(
        validateGatewayBatch(
          aBatch([
            aReading(meter, { value: 100 }),
            aReading(meter, { value: 200 }),
            aReading(meter, { value: 300 }),
          ]),
          ctx,
        ),
      );
      expect(result.accepted).toMatchObject([{ value: 100 }]);
      expect(result.rejected).toMatchObject([
        { index: 1, error: 'duplicate_in_batch' },
        { index: 2, error: 'duplicate_in_batch' },
      ]);
    });

    it('recognises the same instant written with different offsets', () => {
      const result = accepted(
        validateGatewayBatch(
          aBatch([
            aReading(meter, { timestamp: '2026-07-01T11:00:00Z' }),
            aReading(meter, { timestamp: '2026-07-01T13:00:00+02:00' }),
          ]),
          ctx,
        ),
      );
      expect(result.rejected).toMatchObject([{ index: 1, error: 'duplicate_in_batch' }]);
    });

    it('recognises a repeat written with the batch timestamp spelled out', () => {
      const result = accepted(
        validateGatewayBatch(
          aBatch([aReading(meter), aReading(meter, { timestamp: '2026-07-01T11:59:00Z' })]),
          ctx,
        ),
      );
      expect(result.rejected).toMatchObject([{ index: 1, error: 'duplicate_in_batch' }]);
    });

    it('keeps readings that differ in parameter, meter or timestamp', () => {
      const second = aMeter();
      const result = accepted(
        validateGatewayBatch(
          aBatch([
            aReading(meter),
            aReading(meter, { parameter: 'voltage_v', value: 230, unit: 'V' }),
            aReading(second),
            aReading(meter, { timestamp: '2026-07-01T11:58:00Z' }),
          ]),
          aBatchContext([meter, second]),
        ),
      );
      expect(result.accepted).toHaveLength(4);
    });

    it('accepts a later copy when the first copy was itself rejected', () => {
      const result = accepted(
        validateGatewayBatch(aBatch([aReading(meter, { value: 'x' }), aReading(meter)]), ctx),
      );
      expect(result.accepted).toHaveLength(1);
      expect(result.rejected).toMatchObject([{ index: 0, error: 'invalid_value' }]);
    });
  });
});
