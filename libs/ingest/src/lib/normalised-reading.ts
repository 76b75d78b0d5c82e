import { Parameter, Quality } from '@gridwatch/contracts';

/** A reading that passed validation, in its parameter's canonical unit, ready to enqueue. */
export interface NormalisedReading {
  meterId: string;
  parameter: Parameter;
  ts: Date;
  value: number;
  unit: string;
  quality: Quality;
  /** Outside the meter's plausible range; such readings are kept, as questionable. */
  outOfRange: boolean;
}
