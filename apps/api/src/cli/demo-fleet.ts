import type { GatewayProtocol, MeterKind } from '@gridwatch/contracts';

/** The demo organization's fleet: two sites in different timezones, three gateways, 12 meters. */
export const DEMO_ORGANIZATION = 'GridWatch Demo';
export const DEMO_EMAIL_DOMAIN = 'demo.gridwatch.dev';
/** Where the demo's Modbus TCP meters answer (tools/simulators/modbus-meter.ts serves them). */
export const DEMO_MODBUS_PORT = Number(process.env['MODBUS_SIM_PORT'] || 5020);

export interface DemoMeter {
  name: string;
  kind: MeterKind;
  location: string;
  tags: string[];
  modbusUnitId?: number;
  registerMap?: string;
}

export interface DemoGateway {
  serialNumber: string;
  name: string;
  protocol: GatewayProtocol;
  siteCode: string;
  host?: string;
  port?: number;
  pollIntervalSeconds: number;
  meters: DemoMeter[];
}

export const DEMO_SITES = [
  {
    code: 'LDN-HQ',
    name: 'London head office',
    timezone: 'Europe/London',
    address: '1 Example Street, London',
    latitude: 51.5072,
    longitude: -0.1276,
  },
  {
    code: 'NYC-DC',
    name: 'New York data centre',
    timezone: 'America/New_York',
    address: '2 Sample Avenue, New York, NY',
    latitude: 40.7128,
    longitude: -74.006,
  },
] as const;

export const DEMO_GATEWAYS: DemoGateway[] = [
  {
    serialNumber: 'GW-DEMO-HTTP-01',
    name: 'London office router',
    protocol: 'http',
    siteCode: 'LDN-HQ',
    pollIntervalSeconds: 1800,
    meters: [
      { name: 'Main incomer', kind: 'main', location: 'Plant room', tags: ['incomer'] },
      { name: 'Office heaters', kind: 'heater', location: 'Floor 1', tags: ['hvac'] },
      { name: 'Office A/C', kind: 'air_conditioning', location: 'Roof', tags: ['hvac'] },
      { name: 'Lighting circuit', kind: 'lighting', location: 'Floor 1-3', tags: ['lighting'] },
    ],
  },
  {
    serialNumber: 'GW-DEMO-MQTT-01',
    name: 'London edge collector',
    protocol: 'mqtt',
    siteCode: 'LDN-HQ',
    pollIntervalSeconds: 1800,
    meters: [
      { name: 'Water heater', kind: 'water', location: 'Basement', tags: ['water'] },
      { name: 'Comms room UPS', kind: 'ups', location: 'Comms room', tags: ['critical'] },
      { name: 'Kitchen', kind: 'other', location: 'Ground floor', tags: [] },
      { name: 'Server closet', kind: 'server', location: 'Comms room', tags: ['critical'] },
    ],
  },
  {
    serialNumber: 'GW-DEMO-MODBUS-01',
    name: 'New York cellular router',
    protocol: 'modbus_tcp',
    siteCode: 'NYC-DC',
    host: '127.0.0.1',
    port: DEMO_MODBUS_PORT,
    pollIntervalSeconds: 60,
    meters: [
      {
        name: 'DC main incomer',
        kind: 'main',
        location: 'Switch room',
        tags: ['incomer'],
        modbusUnitId: 1,
        registerMap: 'eastron_sdm630',
      },
      {
        name: 'Rack row A',
        kind: 'server',
        location: 'Hall 1',
        tags: ['critical'],
        modbusUnitId: 2,
        registerMap: 'eastron_sdm630',
      },
      {
        name: 'CRAC units',
        kind: 'air_conditioning',
        location: 'Hall 1',
        tags: ['hvac'],
        modbusUnitId: 3,
        registerMap: 'schneider_iem3255',
      },
      {
        name: 'UPS output',
        kind: 'ups',
        location: 'UPS room',
        tags: ['critical'],
        modbusUnitId: 4,
        registerMap: 'carlo_gavazzi_em24',
      },
    ],
  },
];
