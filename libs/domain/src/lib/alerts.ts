import { DateTime } from 'luxon';
import {
  AlertCondition,
  AlertSchedule,
  AlertStatus,
  type OperatingHours,
  type Quality,
  type Weekday,
} from '@gridwatch/contracts';
import { minutesOf } from './calendar';

const ALERT_TRANSITIONS: Readonly<Record<AlertStatus, readonly AlertStatus[]>> = {
  [AlertStatus.Active]: [AlertStatus.Acknowledged, AlertStatus.Resolved],
  [AlertStatus.Acknowledged]: [AlertStatus.Resolved],
  [AlertStatus.Resolved]: [],
};

/** The statuses an alert in `from` may move to; empty once resolved. */
export function allowedAlertTransitions(from: AlertStatus): AlertStatus[] {
  return [...(ALERT_TRANSITIONS[from] ?? [])];
}

export function canTransitionAlert(from: AlertStatus, to: AlertStatus): boolean {
  return allowedAlertTransitions(from).includes(to);
}

const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/**
 * Whether the instant `ts` falls inside the site's operating hours, read on the wall clock of
 * `timeZone` (so DST changes move the UTC hours, not the local ones). A missing day is closed;
 * `close` is exclusive and may be 24:00.
 */
export function isWithinOperatingHours(
  ts: number,
  timeZone: string,
  hours: OperatingHours,
): boolean {
  const local = DateTime.fromMillis(ts, { zone: timeZone });
  if (!local.isValid) return false;
  const day = hours[WEEKDAYS[local.weekday - 1]];
  if (!day) return false;
  const minute = local.hour * 60 + local.minute;
  return minute >= minutesOf(day.open) && minute < minutesOf(day.close);
}

/** Whether a rule with `schedule` applies at `ts` at a site with these hours. */
export function scheduleApplies(
  schedule: AlertSchedule,
  ts: number,
  timeZone: string,
  hours: OperatingHours,
): boolean {
  if (schedule === AlertSchedule.Always) return true;
  const inHours = isWithinOperatingHours(ts, timeZone, hours);
  return schedule === AlertSchedule.InHours ? inHours : !inHours;
}

/** A reading as a rule judges it. */
export interface JudgedReading {
  /** epoch milliseconds */
  t: number;
  v: number;
  q: Quality;
}

/** What a rule remembers between jobs for one meter. */
export interface RuleMemory {
  /** Reading time the current unbroken run of breaching readings began, or null. */
  breachSince: number | null;
  /** The newest reading judged (rate of change needs it). */
  last: { t: number; v: number } | null;
}

export interface ReadingRule {
  condition: AlertCondition;
  threshold: number | null;
  durationSeconds: number;
}

/** Whether one reading breaches a reading condition (`previous` for the rate of change). */
export function breaches(
  rule: ReadingRule,
  reading: JudgedReading,
  previous: { t: number; v: number } | null,
): boolean {
  const threshold = rule.threshold ?? 0;
  switch (rule.condition) {
    case AlertCondition.Above:
      return reading.v > threshold;
    case AlertCondition.Below:
      return reading.v < threshold;
    case AlertCondition.DataQuality:
      return reading.q !== 'good';
    case AlertCondition.RateOfChange: {
      if (!previous || reading.t <= previous.t) return false;
      const perMinute = Math.abs(reading.v - previous.v) / ((reading.t - previous.t) / 60_000);
      return perMinute > threshold;
    }
    default:
      return false;
  }
}

/** The outcome of judging a job's readings of one meter against one rule. */
export interface RuleVerdict {
  /** The first reading at which the condition had held for the whole duration, if any. */
  fired: JudgedReading | null;
  /** The last breaching reading (the alert's latest value) when it fired. */
  lastBreach: JudgedReading | null;
  /** Whether the newest reading was clear (resolve an open alert). */
  clearedAtEnd: boolean;
  memory: RuleMemory;
}

/**
 * Judges readings (any order; sorted here) against a rule: it fires once the condition held on
 * every reading across `durationSeconds` (0: at once); a clear reading, or one outside the
 * schedule (`applies` false), breaks the run. Readings older than the memory's are ignored.
 */
export function judgeReadings(
  rule: ReadingRule,
  readings: readonly JudgedReading[],
  memory: RuleMemory,
  applies: (t: number) => boolean,
): RuleVerdict {
  let { breachSince, last } = memory;
  let fired: JudgedReading | null = null;
  let lastBreach: JudgedReading | null = null;
  let clearedAtEnd = false;
  const sorted = [...readings].filter((r) => !last || r.t > last.t).sort((a, b) => a.t - b.t);
  for (const reading of sorted) {
    const breach = applies(reading.t) && breaches(rule, reading, last);
    last = { t: reading.t, v: reading.v };
    if (!breach) {
      breachSince = null;
      clearedAtEnd = true;
      continue;
    }
    clearedAtEnd = false;
    breachSince ??= reading.t;
    if (reading.t - breachSince >= rule.durationSeconds * 1000) {
      fired ??= reading;
      lastBreach = reading;
    }
  }
  return { fired, lastBreach, clearedAtEnd, memory: { breachSince, last } };
}
