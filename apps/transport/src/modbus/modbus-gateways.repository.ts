import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GatewayProtocol } from '@gridwatch/contracts';
import { resolveRegisterMap } from '@gridwatch/domain';
import { GatewayEntity } from '@gridwatch/server';
import type { PollMeter } from './gateway-poller';

/** Unit id for a meter that has none: what single-device Modbus TCP meters answer to. */
export const DEFAULT_UNIT_ID = 1;

/** A modbus_tcp gateway as the poller needs it, read fresh from the database. */
export interface ModbusGatewayConfig {
  gateway: GatewayEntity;
  meters: PollMeter[];
  /** Meters that cannot be polled as configured, and why (recorded as communication errors). */
  misconfigured: Array<{ meterId: string; message: string }>;
}

interface MeterRow {
  id: string;
  gateway_id: string;
  modbus_unit_id: number | null;
  register_map: unknown;
}

/** Reads the poll configuration: every modbus_tcp gateway and its meters, in two queries. */
@Injectable()
export class ModbusGatewaysRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async load(): Promise<ModbusGatewayConfig[]> {
    const gateways = await this.db.manager.find(GatewayEntity, {
      where: { protocol: GatewayProtocol.ModbusTcp },
      order: { id: 'ASC' },
    });
    if (gateways.length === 0) return [];
    const rows = (await this.db.query(
      `SELECT m.id, m.gateway_id, m.modbus_unit_id, m.register_map
       FROM meters m JOIN gateways g ON g.id = m.gateway_id
       WHERE g.protocol = $1 AND m.status <> 'decommissioned'
       ORDER BY m.gateway_id, m.modbus_unit_id NULLS LAST, m.id`,
      [GatewayProtocol.ModbusTcp],
    )) as MeterRow[];
    const configs = new Map<string, ModbusGatewayConfig>(
      gateways.map((gateway) => [gateway.id, { gateway, meters: [], misconfigured: [] }]),
    );
    for (const row of rows) {
      const config = configs.get(row.gateway_id);
      if (config) addMeter(config, row);
    }
    return [...configs.values()];
  }
}

function addMeter(config: ModbusGatewayConfig, row: MeterRow): void {
  if (row.register_map === null) {
    config.misconfigured.push({ meterId: row.id, message: 'the meter has no register map' });
    return;
  }
  const resolved = resolveRegisterMap(row.register_map);
  if (!resolved.ok) {
    const reasons = resolved.errors.map((error) => `${error.path || 'map'} ${error.message}`);
    config.misconfigured.push({
      meterId: row.id,
      message: `the register map is invalid: ${reasons.join('; ')}`,
    });
    return;
  }
  config.meters.push({
    id: row.id,
    unitId: row.modbus_unit_id ?? DEFAULT_UNIT_ID,
    map: resolved.map,
  });
}
