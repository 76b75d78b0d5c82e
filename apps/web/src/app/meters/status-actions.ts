import { MeterStatus } from '@gridwatch/contracts';

/** A status move a user may make from the meter page. */
export interface StatusAction {
  label: string;
  to: MeterStatus;
  /** Said in the confirmation dialog. */
  consequence: string;
  /** Final moves need a reason and are styled as dangerous. */
  final: boolean;
}

const START_MAINTENANCE: StatusAction = {
  label: 'Start maintenance',
  to: MeterStatus.Maintenance,
  consequence: 'Offline alarms are held while it is in maintenance.',
  final: false,
};
// Back as offline: whether it is online is for its readings to show, not for a user to claim.
const END_MAINTENANCE: StatusAction = {
  label: 'End maintenance',
  to: MeterStatus.Offline,
  consequence: 'It shows offline until its next reading arrives.',
  final: false,
};
const DECOMMISSION: StatusAction = {
  label: 'Decommission',
  to: MeterStatus.Decommissioned,
  consequence: 'This is final: its credential is revoked and its readings are refused from now on.',
  final: true,
};

/** The moves the API's status machine allows from `status` that a user starts. */
export function statusActions(status: MeterStatus): StatusAction[] {
  switch (status) {
    case MeterStatus.Online:
    case MeterStatus.Offline:
      return [START_MAINTENANCE, DECOMMISSION];
    case MeterStatus.Maintenance:
      return [END_MAINTENANCE, DECOMMISSION];
    default:
      return [];
  }
}
