import { MeterStatus } from '@gridwatch/contracts';
import {
  OTHER_GATEWAY_ID,
  OTHER_ORGANIZATION_ID,
  ORGANIZATION_ID,
  aBatchContext,
  aMeter,
} from '../testing/ingest-fixtures';
import { meterForDevice, meterForGateway } from './meter-access';

describe('meter access', () => {
  describe('meterForGateway', () => {
    it('finds a meter wired to the reporting gateway', () => {
      const meter = aMeter();
      expect(meterForGateway(meter.id, aBatchContext([meter]))).toEqual({ ok: true, value: meter });
    });

    it('finds a meter named by an upper-case UUID', () => {
      const meter = aMeter();
      expect(meterForGateway(meter.id.toUpperCase(), aBatchContext([meter]))).toEqual({
        ok: true,
        value: meter,
      });
    });

    it.each([['not-a-uuid'], [42], [null], [undefined], ['5e7e0000-0000-4000-8000-00000000000']])(
      'refuses the meter_id %j as unknown_meter',
      (meterId) => {
        expect(meterForGateway(meterId, aBatchContext([]))).toMatchObject({
          ok: false,
          error: 'unknown_meter',
        });
      },
    );

    it("answers another organization's meter, another gateway's meter, a direct meter and a missing meter alike", () => {
      const foreign = aMeter({ organizationId: OTHER_ORGANIZATION_ID });
      const elsewhere = aMeter({ gatewayId: OTHER_GATEWAY_ID });
      const direct = aMeter({ gatewayId: null });
      const missing = aMeter();
      const ctx = aBatchContext([foreign, elsewhere, direct]);
      const answers = [foreign, elsewhere, direct, missing].map((meter) => {
        const result = meterForGateway(meter.id, ctx);
        return result.ok ? result : { ...result, message: result.message.replace(meter.id, 'ID') };
      });
      const unknown = {
        ok: false,
        error: 'unknown_meter',
        message: 'meter ID is not known to this gateway',
      };
      expect(answers).toEqual([unknown, unknown, unknown, unknown]);
    });

    it('refuses a decommissioned meter as meter_decommissioned', () => {
      const meter = aMeter({ status: MeterStatus.Decommissioned });
      expect(meterForGateway(meter.id, aBatchContext([meter]))).toMatchObject({
        ok: false,
        error: 'meter_decommissioned',
      });
    });

    it('hides a decommissioned meter of another organization as unknown_meter', () => {
      const meter = aMeter({
        status: MeterStatus.Decommissioned,
        organizationId: OTHER_ORGANIZATION_ID,
      });
      expect(meterForGateway(meter.id, aBatchContext([meter]))).toMatchObject({
        error: 'unknown_meter',
      });
    });

    it.each([MeterStatus.Online, MeterStatus.Offline, MeterStatus.Maintenance])(
      'accepts readings from a meter that is %s',
      (status) => {
        const meter = aMeter({ status });
        expect(meterForGateway(meter.id, aBatchContext([meter])).ok).toBe(true);
      },
    );
  });

  describe('meterForDevice', () => {
    it('accepts a device of the organization', () => {
      const meter = aMeter({ gatewayId: null });
      expect(meterForDevice(meter, ORGANIZATION_ID)).toEqual({ ok: true, value: meter });
    });

    it('refuses a device of another organization as unknown_meter', () => {
      const meter = aMeter({ organizationId: OTHER_ORGANIZATION_ID });
      expect(meterForDevice(meter, ORGANIZATION_ID)).toMatchObject({ error: 'unknown_meter' });
    });

    it('refuses a decommissioned device', () => {
      const meter = aMeter({ status: MeterStatus.Decommissioned });
      expect(meterForDevice(meter, ORGANIZATION_ID)).toMatchObject({
        error: 'meter_decommissioned',
      });
    });
  });
});
