import type { ValueRangeOverrides } from './readings';

export const MeterKind = {
  Main: 'main',
  Heater: 'heater',
  AirConditioning: 'air_conditioning',
  Water: 'water',
  Lighting: 'lighting',
  Ups: 'ups',
  Server: 'server',
  Other: 'other',
} as const;
export type MeterKind = (typeof MeterKind)[keyof typeof MeterKind];
export const METER_KINDS: readonly MeterKind[] = Object.values(MeterKind);

export const MeterStatus = {
  Online: 'online',
  Offline: 'offline',
  Maintenance: 'maintenance',
  Decommissioned: 'decommissioned',
} as const;
export type MeterStatus = (typeof MeterStatus)[keyof typeof MeterStatus];
export const METER_STATUSES: readonly MeterStatus[] = Object.values(MeterStatus);

export const GatewayProtocol = { Http: 'http', Mqtt: 'mqtt', ModbusTcp: 'modbus_tcp' } as const;
export type GatewayProtocol = (typeof GatewayProtocol)[keyof typeof GatewayProtocol];
export const GATEWAY_PROTOCOLS: readonly GatewayProtocol[] = Object.values(GatewayProtocol);

export const GatewayStatus = {
  Online: 'online',
  Degraded: 'degraded',
  Offline: 'offline',
  Unknown: 'unknown',
} as const;
export type GatewayStatus = (typeof GatewayStatus)[keyof typeof GatewayStatus];
export const GATEWAY_STATUSES: readonly GatewayStatus[] = Object.values(GatewayStatus);

export const CredentialOwnerType = { Gateway: 'gateway', Meter: 'meter' } as const;
export type CredentialOwnerType = (typeof CredentialOwnerType)[keyof typeof CredentialOwnerType];

export const Weekday = {
  Mon: 'mon',
  Tue: 'tue',
  Wed: 'wed',
  Thu: 'thu',
  Fri: 'fri',
  Sat: 'sat',
  Sun: 'sun',
} as const;
export type Weekday = (typeof Weekday)[keyof typeof Weekday];

/** Opening hours per weekday as "HH:MM" local times; a missing day is closed. */
export type OperatingHours = Partial<Record<Weekday, { open: string; close: string }>>;

export interface SiteView {
  id: string;
  code: string;
  name: string;
  timezone: string;
  address: string | null;
  latitude: number | null;
  longitude: number | null;
  operatingHours: OperatingHours;
  createdAt: string;
  updatedAt: string;
}

export interface GatewayView {
  id: string;
  serialNumber: string;
  name: string;
  siteId: string;
  protocol: GatewayProtocol;
  host: string | null;
  port: number | null;
  pollIntervalSeconds: number;
  status: GatewayStatus;
  lastSeenAt: string | null;
  missedPings: number;
  connection: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export interface MeterView {
  id: string;
  name: string;
  siteId: string;
  gatewayId: string | null;
  kind: MeterKind;
  model: string | null;
  firmware: string | null;
  location: string | null;
  tags: string[];
  metadata: Record<string, unknown>;
  modbusUnitId: number | null;
  registerMap: unknown;
  /** Per-parameter replacements for the default plausible value ranges. */
  rangeOverrides: ValueRangeOverrides;
  heartbeatIntervalSeconds: number;
  status: MeterStatus;
  lastSeenAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface CredentialView {
  id: string;
  ownerType: CredentialOwnerType;
  ownerId: string;
  /** What the device sends as X-Device-ID: a gateway's serial number or a meter's UUID. */
  deviceId: string;
  createdAt: string;
  rotatedAt: string | null;
  previousValidUntil: string | null;
  revokedAt: string | null;
}

/** Answered once, on create and rotate: the only time the secret leaves the server. */
export interface IssuedCredential extends CredentialView {
  secret: string;
}
