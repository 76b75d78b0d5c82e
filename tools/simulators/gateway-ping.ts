import { hash32, smoothNoise } from './load-profile';
import type { WirePing } from './device-client';

export const SIMULATED_FIRMWARE = 'gw-sim 1.4.2';

/**
 * A gateway's heartbeat at `ms`: plausible, seeded connection details (a cellular router's IP,
 * signal, SIM) and load that wanders slowly. `startedMs` is when the simulated router booted.
 */
export function pingOf(
  serialNumber: string,
  host: string | null,
  ms: number,
  startedMs: number,
  timestamp: string,
): WirePing {
  const key = `ping|${serialNumber}`;
  const h = hash32(key);
  return {
    gateway_serial: serialNumber,
    timestamp,
    ip_address: host ?? `10.${(h >>> 16) & 0xff}.${(h >>> 8) & 0xff}.${Math.max(2, h & 0xff)}`,
    signal_strength: Math.round(-72 + 9 * smoothNoise(`${key}|rssi`, ms, 600_000)),
    sim_iccid: iccidOf(serialNumber),
    cpu_percent: round1(18 + 12 * smoothNoise(`${key}|cpu`, ms, 120_000)),
    memory_percent: round1(42 + 8 * smoothNoise(`${key}|mem`, ms, 1_800_000)),
    uptime_seconds: Math.max(0, Math.floor((ms - startedMs) / 1000)),
    firmware: SIMULATED_FIRMWARE,
  };
}

/** A 19-digit ICCID (89 = telecom, 44 = UK) fixed per gateway. */
function iccidOf(serialNumber: string): string {
  const digits = `${hash32(`iccid|${serialNumber}`)}${hash32(`iccid2|${serialNumber}`)}`.padEnd(
    15,
    '7',
  );
  return `8944${digits.slice(0, 15)}`;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
