import type { MeterKind, MeterStatus, Parameter, Role } from '@gridwatch/contracts';

const ROLE_LABELS: Record<Role, string> = {
  owner: 'Owner',
  operator: 'Operator',
  viewer: 'Viewer',
  support: 'Support',
};

const METER_KIND_LABELS: Record<MeterKind, string> = {
  main: 'Main',
  heater: 'Heater',
  air_conditioning: 'Air conditioning',
  water: 'Water',
  lighting: 'Lighting',
  ups: 'UPS',
  server: 'Server',
  other: 'Other',
};

const METER_STATUS_LABELS: Record<MeterStatus, string> = {
  online: 'Online',
  offline: 'Offline',
  maintenance: 'Maintenance',
  decommissioned: 'Decommissioned',
};

export function roleLabel(role: Role): string {
  return ROLE_LABELS[role] ?? role;
}

export function meterKindLabel(kind: MeterKind): string {
  return METER_KIND_LABELS[kind] ?? kind;
}

export function meterStatusLabel(status: MeterStatus): string {
  return METER_STATUS_LABELS[status] ?? status;
}

/** "5 min ago", "3 h ago", "2 days ago"; the exact time goes in a tooltip beside it. */
export function relativeTime(iso: string | null, now: Date = new Date()): string {
  if (!iso) return 'Never';
  const seconds = Math.round((now.getTime() - new Date(iso).getTime()) / 1000);
  if (Number.isNaN(seconds)) return 'Unknown';
  if (seconds < 60) return 'Just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  return days === 1 ? '1 day ago' : `${days} days ago`;
}

const PARAMETER_LABELS: Record<Parameter, { label: string; unit: string }> = {
  energy_kwh: { label: 'Energy', unit: 'kWh' },
  power_w: { label: 'Power', unit: 'W' },
  voltage_v: { label: 'Voltage', unit: 'V' },
  current_a: { label: 'Current', unit: 'A' },
  power_factor: { label: 'Power factor', unit: '' },
  frequency_hz: { label: 'Frequency', unit: 'Hz' },
  temperature_c: { label: 'Temperature', unit: '°C' },
  water_m3: { label: 'Water', unit: 'm³' },
};

export function parameterLabel(parameter: Parameter): string {
  return PARAMETER_LABELS[parameter]?.label ?? parameter;
}

/** The canonical unit the API stores a parameter in. */
export function parameterUnit(parameter: Parameter): string {
  return PARAMETER_LABELS[parameter]?.unit ?? '';
}
