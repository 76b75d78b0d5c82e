import { Injectable } from '@nestjs/common';

/** The current time, injectable so that tests can move it (SLA deadlines). */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
