import {
  ALERT_SEVERITIES,
  Parameter,
  type AlertSeverity,
  type AlertView,
  type MeterView,
} from '@gridwatch/contracts';
import { formatValue } from '../meters/chart-options';

/** A meter's newest power reading. */
export interface PowerReading {
  value: number;
  ts: string;
}

/** A reading of one meter, as the latest-values API and the socket's events carry it. */
export interface MeterReading {
  meterId: string;
  parameter: Parameter;
  value: number;
  ts: string;
}

/** The shown power per meter with the newer power readings among `readings` taken in. */
export function withPower(
  shown: ReadonlyMap<string, PowerReading>,
  readings: readonly MeterReading[],
): Map<string, PowerReading> {
  const next = new Map(shown);
  for (const reading of readings) {
    if (reading.parameter !== Parameter.PowerW) continue;
    const current = next.get(reading.meterId);
    if (current && Date.parse(current.ts) > Date.parse(reading.ts)) continue;
    next.set(reading.meterId, { value: reading.value, ts: reading.ts });
  }
  return next;
}

/**
 * A site's power now: the sum of its meters' newest power, over the meters that report power and
 * are not decommissioned; null when none of them does (unknown, not zero).
 */
export function sitePower(
  siteId: string,
  meters: readonly MeterView[],
  power: ReadonlyMap<string, PowerReading>,
): number | null {
  let total: number | null = null;
  for (const meter of meters) {
    if (meter.siteId !== siteId || meter.status === 'decommissioned') continue;
    const reading = power.get(meter.id);
    if (reading) total = (total ?? 0) + reading.value;
  }
  return total;
}

/** "850 W", "12.35 kW", "1.2 MW"; a dash when unknown. */
export function formatPower(watts: number | null): string {
  if (watts === null) return '—';
  const magnitude = Math.abs(watts);
  if (magnitude >= 1_000_000) return `${formatValue(Number((watts / 1_000_000).toFixed(2)))} MW`;
  if (magnitude >= 1000) return `${formatValue(Number((watts / 1000).toFixed(2)))} kW`;
  return `${formatValue(Math.round(watts))} W`;
}

/** How many active alerts of each severity, worst first, every severity listed. */
export function activeBySeverity(
  alerts: readonly AlertView[],
): { severity: AlertSeverity; count: number }[] {
  const order = [...ALERT_SEVERITIES].reverse();
  return order.map((severity) => ({
    severity,
    count: alerts.filter((alert) => alert.status === 'active' && alert.severity === severity)
      .length,
  }));
}
