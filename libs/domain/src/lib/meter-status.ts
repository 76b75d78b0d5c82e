import { MeterStatus } from '@gridwatch/contracts';

const METER_TRANSITIONS: Readonly<Record<MeterStatus, readonly MeterStatus[]>> = {
  [MeterStatus.Online]: [MeterStatus.Offline, MeterStatus.Maintenance, MeterStatus.Decommissioned],
  [MeterStatus.Offline]: [MeterStatus.Online, MeterStatus.Maintenance, MeterStatus.Decommissioned],
  [MeterStatus.Maintenance]: [MeterStatus.Online, MeterStatus.Offline, MeterStatus.Decommissioned],
  [MeterStatus.Decommissioned]: [],
};

/** The statuses a meter in `from` may move to next; empty for the final `decommissioned`. */
export function allowedMeterTransitions(from: MeterStatus): MeterStatus[] {
  // A status read from storage may be outside the union; it has no way out.
  return [...(METER_TRANSITIONS[from] ?? [])];
}

/** Whether a meter may move from `from` to `to`; staying in the same status is not a transition. */
export function canTransitionMeter(from: MeterStatus, to: MeterStatus): boolean {
  return allowedMeterTransitions(from).includes(to);
}

/** Whether `status` is final: no transition leaves it. */
export function isFinalMeterStatus(status: MeterStatus): boolean {
  return allowedMeterTransitions(status).length === 0;
}
