import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { GatewayEntity, MeterEntity, OrganizationEntity, SiteEntity } from '@gridwatch/server';

/** One line per row a Modbus test needs: an organization and site, gateways, meters. */
export class ModbusFixtures {
  readonly gatewayIds: string[] = [];

  constructor(private readonly db: DataSource) {}

  async site(): Promise<SiteEntity> {
    const organization = await this.db
      .getRepository(OrganizationEntity)
      .save({ name: `Modbus ${randomUUID().slice(0, 8)}`, settings: {} });
    return this.db.getRepository(SiteEntity).save({
      organizationId: organization.id,
      code: `S-${randomUUID().slice(0, 6)}`,
      name: 'Modbus site',
      timezone: 'Europe/London',
      operatingHours: {},
    });
  }

  async gateway(
    site: SiteEntity,
    port: number,
    overrides: Partial<GatewayEntity> = {},
  ): Promise<GatewayEntity> {
    const gateway = await this.db.getRepository(GatewayEntity).save({
      organizationId: site.organizationId,
      siteId: site.id,
      serialNumber: `GW-MB-${randomUUID().slice(0, 8)}`,
      name: 'Modbus router',
      protocol: 'modbus_tcp',
      host: '127.0.0.1',
      port,
      pollIntervalSeconds: 60,
      connection: {},
      ...overrides,
    });
    this.gatewayIds.push(gateway.id);
    return gateway;
  }

  meter(gateway: GatewayEntity, unitId: number, registerMap: unknown): Promise<MeterEntity> {
    return this.db.getRepository(MeterEntity).save({
      organizationId: gateway.organizationId,
      siteId: gateway.siteId,
      gatewayId: gateway.id,
      name: `Meter ${unitId}`,
      kind: 'main',
      tags: [],
      metadata: {},
      rangeOverrides: {},
      modbusUnitId: unitId,
      registerMap,
    });
  }

  /** Takes this test's gateways off the Modbus schedule, so later tests poll only their own. */
  async retire(): Promise<void> {
    if (this.gatewayIds.length === 0) return;
    await this.db.query(`UPDATE gateways SET protocol = 'http' WHERE id = ANY($1::uuid[])`, [
      this.gatewayIds.splice(0),
    ]);
  }
}
