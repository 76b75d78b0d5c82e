import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import type { FieldError, Page } from '@gridwatch/contracts';
import { canonicalHost } from '@gridwatch/domain';
import { ModbusHostPolicy } from '@gridwatch/ingest';
import {
  APP_CONFIG,
  type AppConfig,
  Conflict,
  GatewayEntity,
  MeterEntity,
  NotFound,
  ValidationFailed,
} from '@gridwatch/server';
import { paginate } from '../../common/pagination';
import type { RequestActor } from '../auth/authenticated-user';
import { EventRecorder } from '@gridwatch/server';
import { DeviceCredentialsService } from './device-credentials.service';
import { type CreateGatewayDto, DEFAULT_POLL_INTERVAL_SECONDS } from './dto/create-gateway.dto';
import type { GatewayDto } from './dto/gateway.dto';
import type { ListGatewaysDto } from './dto/list-gateways.dto';
import type { UpdateGatewayDto } from './dto/update-gateway.dto';
import { containsPattern, isUniqueViolation } from '../../common/postgres';
import { SitesService } from './sites.service';

const SORT_COLUMNS = {
  name: 'gateway.name',
  serialNumber: 'gateway.serial_number',
  createdAt: 'gateway.created_at',
  lastSeenAt: 'gateway.last_seen_at',
} as const;
const SERIAL_KEY = 'gateways_serial_number_key';

/** Gateways of the caller's organization; a gateway with meters cannot be deleted or moved. */
@Injectable()
export class GatewaysService {
  /** The poller's own rule: a host it would refuse is refused when saved. */
  private readonly hosts: ModbusHostPolicy;

  constructor(
    @InjectRepository(GatewayEntity) private readonly gateways: Repository<GatewayEntity>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly sites: SitesService,
    private readonly credentials: DeviceCredentialsService,
    private readonly events: EventRecorder,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.hosts = new ModbusHostPolicy(config.modbusAllowedNetworks);
  }

  /**
   * A host the poller may connect to, stored in canonical form; ModbusHostNotAllowed
   * (`modbus_host_not_allowed`, nothing internal in the message) otherwise. Checked for every
   * host, whatever the protocol, since a gateway can be switched to modbus_tcp later.
   */
  private async pollableHost(host: string): Promise<string> {
    await this.hosts.resolve(host);
    return canonicalHost(host);
  }

  list(organizationId: string, query: ListGatewaysDto): Promise<Page<GatewayDto>> {
    const qb = this.gateways
      .createQueryBuilder('gateway')
      .where('gateway.organization_id = :organizationId', { organizationId });
    if (query.status) qb.andWhere('gateway.status = :status', { status: query.status });
    if (query.siteId) qb.andWhere('gateway.site_id = :siteId', { siteId: query.siteId });
    if (query.protocol) qb.andWhere('gateway.protocol = :protocol', { protocol: query.protocol });
    if (query.q) {
      qb.andWhere('(gateway.name ILIKE :q OR gateway.serial_number ILIKE :q)', {
        q: containsPattern(query.q),
      });
    }
    qb.orderBy(
      SORT_COLUMNS[query.sort],
      query.order === 'desc' ? 'DESC' : 'ASC',
      'NULLS LAST',
    ).addOrderBy('gateway.id');
    return paginate(qb, query, toGatewayView);
  }

  async get(organizationId: string, id: string): Promise<GatewayDto> {
    return toGatewayView(await this.load(organizationId, id));
  }

  /** The gateway, if it belongs to the organization; otherwise 404 gateway_not_found. */
  async load(
    organizationId: string,
    id: string,
    manager: EntityManager = this.db.manager,
  ): Promise<GatewayEntity> {
    const gateway = await manager.findOneBy(GatewayEntity, { id, organizationId });
    if (!gateway) throw new NotFound('gateway_not_found', 'Gateway');
    return gateway;
  }

  async create(actor: RequestActor, dto: CreateGatewayDto): Promise<GatewayDto> {
    const organizationId = actor.user.organizationId;
    await this.sites.load(organizationId, dto.siteId);
    assertModbusEndpoint(dto.protocol, dto.host ?? null, dto.port ?? null);
    const host = dto.host ? await this.pollableHost(dto.host) : null;
    await this.assertSerialFree(dto.serialNumber);
    const gateway = await this.saveUnique(
      this.db.manager,
      this.gateways.create({
        organizationId,
        siteId: dto.siteId,
        serialNumber: dto.serialNumber,
        name: dto.name,
        protocol: dto.protocol,
        host,
        port: dto.port ?? null,
        pollIntervalSeconds: dto.pollIntervalSeconds ?? DEFAULT_POLL_INTERVAL_SECONDS,
        connection: {},
      }),
    );
    await this.events.record({
      organizationId,
      type: 'gateway.created',
      actor,
      subject: { type: 'gateway', id: gateway.id },
      data: {
        serialNumber: gateway.serialNumber,
        siteId: gateway.siteId,
        protocol: gateway.protocol,
      },
    });
    return toGatewayView(gateway);
  }

  async update(actor: RequestActor, id: string, dto: UpdateGatewayDto): Promise<GatewayDto> {
    const organizationId = actor.user.organizationId;
    if (dto.host) dto.host = await this.pollableHost(dto.host);
    const saved = await this.db.transaction(async (manager) => {
      const gateway = await this.load(organizationId, id, manager);
      if (dto.siteId !== undefined && dto.siteId !== gateway.siteId) {
        await this.sites.load(organizationId, dto.siteId, manager);
        const meters = await manager.countBy(MeterEntity, { gatewayId: id });
        if (meters > 0)
          throw gatewayInUse('move or detach its meters before moving it to another site', meters);
      }
      const renamed = dto.serialNumber !== undefined && dto.serialNumber !== gateway.serialNumber;
      if (renamed) await this.assertSerialFree(dto.serialNumber as string, manager);
      Object.assign(gateway, dto);
      assertModbusEndpoint(gateway.protocol, gateway.host, gateway.port);
      if (dto.protocol !== undefined && !dto.host && gateway.host) {
        await this.hosts.resolve(gateway.host); // a host saved before the check existed
      }
      const updated = await this.saveUnique(manager, gateway);
      if (renamed)
        await this.credentials.renameDevice(manager, { type: 'gateway', id }, updated.serialNumber);
      return updated;
    });
    await this.events.record({
      organizationId,
      type: 'gateway.updated',
      actor,
      subject: { type: 'gateway', id },
      data: { changes: dto },
    });
    // Only MQTT gateways have a broker client: a protocol change adds or removes it.
    if (dto.protocol !== undefined) await this.credentials.syncBroker({ type: 'gateway', id });
    return toGatewayView(saved);
  }

  async remove(actor: RequestActor, id: string): Promise<void> {
    const organizationId = actor.user.organizationId;
    const gateway = await this.db.transaction(async (manager) => {
      const found = await manager.findOne(GatewayEntity, {
        where: { id, organizationId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!found) throw new NotFound('gateway_not_found', 'Gateway');
      const meters = await manager.countBy(MeterEntity, { gatewayId: id });
      if (meters > 0) throw gatewayInUse('move, detach or delete its meters first', meters);
      await this.credentials.deleteAllOf(manager, { type: 'gateway', id });
      await manager.delete(GatewayEntity, { id, organizationId });
      return found;
    });
    await this.events.record({
      organizationId,
      type: 'gateway.deleted',
      actor,
      subject: { type: 'gateway', id },
      data: { serialNumber: gateway.serialNumber, siteId: gateway.siteId },
    });
  }

  private async assertSerialFree(
    serialNumber: string,
    manager: EntityManager = this.db.manager,
  ): Promise<void> {
    if (await manager.existsBy(GatewayEntity, { serialNumber })) throw serialTaken(serialNumber);
  }

  private async saveUnique(manager: EntityManager, gateway: GatewayEntity): Promise<GatewayEntity> {
    try {
      return await manager.save(GatewayEntity, gateway);
    } catch (error) {
      if (isUniqueViolation(error, SERIAL_KEY)) throw serialTaken(gateway.serialNumber);
      throw error;
    }
  }
}

/** A Modbus TCP gateway is polled, so the poller needs somewhere to connect. */
function assertModbusEndpoint(protocol: string, host: string | null, port: number | null): void {
  if (protocol !== 'modbus_tcp') return;
  const details: FieldError[] = [];
  if (host === null)
    details.push({ field: 'host', messages: ['host is required for a modbus_tcp gateway'] });
  if (port === null)
    details.push({ field: 'port', messages: ['port is required for a modbus_tcp gateway'] });
  if (details.length > 0)
    throw new ValidationFailed('A modbus_tcp gateway needs host and port', details);
}

function serialTaken(serialNumber: string): Conflict {
  return new Conflict('gateway_serial_taken', 'A gateway with this serial number already exists', {
    serialNumber,
  });
}

function gatewayInUse(advice: string, meters: number): Conflict {
  return new Conflict('gateway_in_use', `Meters still use the gateway: ${advice}`, { meters });
}

export function toGatewayView(gateway: GatewayEntity): GatewayDto {
  return {
    id: gateway.id,
    serialNumber: gateway.serialNumber,
    name: gateway.name,
    siteId: gateway.siteId,
    protocol: gateway.protocol,
    host: gateway.host,
    port: gateway.port,
    pollIntervalSeconds: gateway.pollIntervalSeconds,
    status: gateway.status,
    lastSeenAt: gateway.lastSeenAt?.toISOString() ?? null,
    missedPings: gateway.missedPings,
    connection: gateway.connection,
    createdAt: gateway.createdAt.toISOString(),
    updatedAt: gateway.updatedAt.toISOString(),
  };
}
