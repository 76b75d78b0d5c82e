import { Injectable } from '@nestjs/common';

/**
 * The time alerts run on: triggering, cooldowns, escalations, repeats and the sweep's deadlines.
 * One provider, so tests move time forward instead of waiting for it.
 */
@Injectable()
export class AlertClock {
  now(): Date {
    return new Date();
  }
}
