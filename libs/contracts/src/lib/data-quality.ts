/** What went wrong with a meter's (or a gateway's) data. */
export const DataQualityKind = {
  MissingData: 'missing_data',
  DuplicateData: 'duplicate_data',
  OutOfRange: 'out_of_range',
  CommunicationError: 'communication_error',
  CalibrationDrift: 'calibration_drift',
  ClockSkew: 'clock_skew',
  /** A cumulative counter dropped, but not near zero: not a reset, left out of consumption. */
  CounterGlitch: 'counter_glitch',
} as const;
export type DataQualityKind = (typeof DataQualityKind)[keyof typeof DataQualityKind];
export const DATA_QUALITY_KINDS: readonly DataQualityKind[] = Object.values(DataQualityKind);

export const DataQualitySeverity = {
  Info: 'info',
  Warning: 'warning',
  Error: 'error',
  Critical: 'critical',
} as const;
export type DataQualitySeverity = (typeof DataQualitySeverity)[keyof typeof DataQualitySeverity];
export const DATA_QUALITY_SEVERITIES: readonly DataQualitySeverity[] =
  Object.values(DataQualitySeverity);

/** One data quality issue as the management API answers it. */
export interface DataQualityIssueView {
  id: string;
  siteId: string | null;
  meterId: string | null;
  gatewayId: string | null;
  kind: DataQualityKind;
  severity: DataQualitySeverity;
  parameter: string | null;
  message: string;
  /** Kind-specific; `count` is how many times it was seen while open. */
  details: Record<string, unknown>;
  detectedAt: string;
  resolvedAt: string | null;
}
