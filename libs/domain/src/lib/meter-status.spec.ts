import { METER_STATUSES, MeterStatus } from '@gridwatch/contracts';
import { allowedMeterTransitions, canTransitionMeter, isFinalMeterStatus } from './meter-status';

describe('meter status state machine', () => {
  it('lets an online meter go offline, into maintenance or be decommissioned', () => {
    expect(allowedMeterTransitions(MeterStatus.Online)).toEqual([
      MeterStatus.Offline,
      MeterStatus.Maintenance,
      MeterStatus.Decommissioned,
    ]);
  });

  it('lets an offline meter come back online, go into maintenance or be decommissioned', () => {
    expect(allowedMeterTransitions(MeterStatus.Offline)).toEqual([
      MeterStatus.Online,
      MeterStatus.Maintenance,
      MeterStatus.Decommissioned,
    ]);
  });

  it('lets a meter leave maintenance to online or offline, or be decommissioned', () => {
    expect(allowedMeterTransitions(MeterStatus.Maintenance)).toEqual([
      MeterStatus.Online,
      MeterStatus.Offline,
      MeterStatus.Decommissioned,
    ]);
  });

  it('lets nothing leave decommissioned', () => {
    expect(allowedMeterTransitions(MeterStatus.Decommissioned)).toEqual([]);
    for (const to of METER_STATUSES) {
      expect(canTransitionMeter(MeterStatus.Decommissioned, to)).toBe(false);
    }
  });

  it.each(METER_STATUSES)('refuses moving %s to the same status', (status) => {
    expect(canTransitionMeter(status, status)).toBe(false);
  });

  it.each([
    [MeterStatus.Online, MeterStatus.Offline],
    [MeterStatus.Offline, MeterStatus.Online],
    [MeterStatus.Online, MeterStatus.Maintenance],
    [MeterStatus.Offline, MeterStatus.Maintenance],
    [MeterStatus.Maintenance, MeterStatus.Online],
    [MeterStatus.Maintenance, MeterStatus.Offline],
    [MeterStatus.Online, MeterStatus.Decommissioned],
    [MeterStatus.Offline, MeterStatus.Decommissioned],
    [MeterStatus.Maintenance, MeterStatus.Decommissioned],
  ])('allows %s -> %s', (from, to) => {
    expect(canTransitionMeter(from, to)).toBe(true);
  });

  it('agrees with allowedMeterTransitions for every pair of statuses', () => {
    for (const from of METER_STATUSES) {
      for (const to of METER_STATUSES) {
        expect(canTransitionMeter(from, to)).toBe(allowedMeterTransitions(from).includes(to));
      }
    }
  });

  it('answers a fresh array so a caller cannot change the machine', () => {
    allowedMeterTransitions(MeterStatus.Online).push(MeterStatus.Online);
    expect(canTransitionMeter(MeterStatus.Online, MeterStatus.Online)).toBe(false);
  });

  it('gives an unknown stored status no way out', () => {
    const unknown = 'retired' as MeterStatus;
    expect(allowedMeterTransitions(unknown)).toEqual([]);
    expect(canTransitionMeter(unknown, MeterStatus.Online)).toBe(false);
  });

  it('marks only decommissioned as final', () => {
    expect(METER_STATUSES.filter(isFinalMeterStatus)).toEqual([MeterStatus.Decommissioned]);
  });
});
