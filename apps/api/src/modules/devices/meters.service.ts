import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import {
  DomainEvent,
  type MeterStatus,
  type Page,
  type ValueRangeOverrides,
} from '@gridwatch/contracts';
import { allowedMeterTransitions, canTransitionMeter } from '@gridwatch/domain';
import {
  Conflict,
  DeviceCredentialEntity,
  MeterEntity,
  NotFound,
  ValidationFailed,
} from '@gridwatch/server';
import { paginate } from '../../common/pagination';
import type { RequestActor } from '../auth/authenticated-user';
import { EventRecorder } from '@gridwatch/server';
import { DomainEvents } from '../domain-events/domain-events';
import { DeviceCredentialsService } from './device-credentials.service';
import type { ChangeMeterStatusDto } from './dto/change-meter-status.dto';
import { type CreateMeterDto, DEFAULT_HEARTBEAT_INTERVAL_SECONDS } from './dto/create-meter.dto';
import type { ListMetersDto } from './dto/list-meters.dto';
import type { MeterDto } from './dto/meter.dto';
import type { UpdateMeterDto } from './dto/update-meter.dto';
import { GatewaysService } from './gateways.service';
import { containsPattern } from '../../common/postgres';
import { SitesService } from './sites.service';

const SORT_COLUMNS = {
  name: 'meter.name',
  createdAt: 'meter.created_at',
  lastSeenAt: 'meter.last_seen_at',
  kind: 'meter.kind',
} as const;

/**
 * Meters of the caller's organization. Status changes only through the state machine;
 * decommissioning is final and revokes the meter's credential.
 */
@Injectable()
export class MetersService {
  constructor(
    @InjectRepository(MeterEntity) private readonly meters: Repository<MeterEntity>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly sites: SitesService,
    private readonly gateways: GatewaysService,
    private readonly credentials: DeviceCredentialsService,
    private readonly events: EventRecorder,
    private readonly domainEvents: DomainEvents,
  ) {}

  list(organizationId: string, query: ListMetersDto): Promise<Page<MeterDto>> {
    const qb = this.meters
      .createQueryBuilder('meter')
      .where('meter.organization_id = :organizationId', { organizationId });
    if (query.status) qb.andWhere('meter.status = :status', { status: query.status });
    if (query.siteId) qb.andWhere('meter.site_id = :siteId', { siteId: query.siteId });
    if (query.gatewayId)
      qb.andWhere('meter.gateway_id = :gatewayId', { gatewayId: query.gatewayId });
    if (query.kind) qb.andWhere('meter.kind = :kind', { kind: query.kind });
    if (query.tags && query.tags.length > 0) {
      qb.andWhere('meter.tags @> CAST(:tags AS text[])', { tags: query.tags });
    }
    if (query.q) {
      qb.andWhere('(meter.name ILIKE :q OR meter.location ILIKE :q OR meter.model ILIKE :q)', {
        q: containsPattern(query.q),
      });
    }
    qb.orderBy(
      SORT_COLUMNS[query.sort],
      query.order === 'desc' ? 'DESC' : 'ASC',
      'NULLS LAST',
    ).addOrderBy('meter.id');
    return paginate(qb, query, toMeterView);
  }

  async get(organizationId: string, id: string): Promise<MeterDto> {
    return toMeterView(await this.load(this.db.manager, organizationId, id));
  }

  async create(actor: RequestActor, dto: CreateMeterDto): Promise<MeterDto> {
    const organizationId = actor.user.organizationId;
    await this.assertPlacement(this.db.manager, organizationId, dto.siteId, dto.gatewayId ?? null);
    const meter = await this.meters.save(
      this.meters.create({
        organizationId,
        siteId: dto.siteId,
        gatewayId: dto.gatewayId ?? null,
        name: dto.name,
        kind: dto.kind,
        model: dto.model ?? null,
        firmware: dto.firmware ?? null,
        location: dto.location ?? null,
        tags: dto.tags ?? [],
        metadata: dto.metadata ?? {},
        modbusUnitId: dto.modbusUnitId ?? null,
        registerMap: dto.registerMap ?? null,
        rangeOverrides: dto.rangeOverrides ?? {},
        heartbeatIntervalSeconds:
          dto.heartbeatIntervalSeconds ?? DEFAULT_HEARTBEAT_INTERVAL_SECONDS,
      }),
    );
    await this.events.record({
      organizationId,
      type: 'device.created',
      actor,
      subject: { type: 'meter', id: meter.id },
      data: {
        name: meter.name,
        kind: meter.kind,
        siteId: meter.siteId,
        gatewayId: meter.gatewayId,
      },
    });
    return toMeterView(meter);
  }

  async update(actor: RequestActor, id: string, dto: UpdateMeterDto): Promise<MeterDto> {
    const organizationId = actor.user.organizationId;
    const saved = await this.db.transaction(async (manager) => {
      const meter = await this.load(manager, organizationId, id, true);
      if (meter.status === 'decommissioned') {
        throw new Conflict('meter_decommissioned', 'A decommissioned meter cannot be changed');
      }
      const siteId = dto.siteId ?? meter.siteId;
      const gatewayId = dto.gatewayId === undefined ? meter.gatewayId : dto.gatewayId;
      if (siteId !== meter.siteId || gatewayId !== meter.gatewayId) {
        await this.assertPlacement(manager, organizationId, siteId, gatewayId);
      }
      Object.assign(meter, dto);
      return manager.save(meter);
    });
    await this.events.record({
      organizationId,
      type: 'device.updated',
      actor,
      subject: { type: 'meter', id },
      data: { changes: dto },
    });
    return toMeterView(saved);
  }

  /** Moves the meter through its state machine; decommissioning also revokes its credential. */
  async changeStatus(
    actor: RequestActor,
    id: string,
    dto: ChangeMeterStatusDto,
  ): Promise<MeterDto> {
    const organizationId = actor.user.organizationId;
    const { meter, from, revoked } = await this.db.transaction(async (manager) => {
      const found = await this.load(manager, organizationId, id, true);
      const previous = found.status;
      if (!canTransitionMeter(previous, dto.status)) throw illegalTransition(previous, dto.status);
      found.status = dto.status;
      const saved = await manager.save(found);
      const revokedCredential =
        dto.status === 'decommissioned'
          ? await this.credentials.revokeActiveOf(manager, { type: 'meter', id })
          : null;
      return { meter: saved, from: previous, revoked: revokedCredential };
    });
    await this.recordStatusChange(actor, meter, from, dto.reason ?? null, revoked);
    await this.domainEvents.emit(DomainEvent.StatusChanged, {
      subject: 'meter',
      organizationId,
      id,
      from,
      to: meter.status,
      reason: dto.reason ?? null,
      at: new Date().toISOString(),
    });
    return toMeterView(meter);
  }

  /** Hard delete: the meter and every credential it had. */
  async remove(actor: RequestActor, id: string): Promise<void> {
    const organizationId = actor.user.organizationId;
    const { meter, credentialsDeleted } = await this.db.transaction(async (manager) => {
      const found = await this.load(manager, organizationId, id, true);
      const deleted = await this.credentials.deleteAllOf(manager, { type: 'meter', id });
      await manager.delete(MeterEntity, { id, organizationId });
      return { meter: found, credentialsDeleted: deleted };
    });
    await this.events.record({
      organizationId,
      type: 'device.deleted',
      actor,
      subject: { type: 'meter', id },
      data: {
        name: meter.name,
        siteId: meter.siteId,
        gatewayId: meter.gatewayId,
        credentialsDeleted,
      },
    });
  }

  private async load(
    manager: EntityManager,
    organizationId: string,
    id: string,
    lock = false,
  ): Promise<MeterEntity> {
    const meter = await manager.findOne(MeterEntity, {
      where: { id, organizationId },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!meter) throw new NotFound('meter_not_found', 'Meter');
    return meter;
  }

  /** The site and gateway belong to the organization, and the gateway stands on that site. */
  private async assertPlacement(
    manager: EntityManager,
    organizationId: string,
    siteId: string,
    gatewayId: string | null,
  ): Promise<void> {
    await this.sites.load(organizationId, siteId, manager);
    if (gatewayId === null) return;
    const gateway = await this.gateways.load(organizationId, gatewayId, manager);
    if (gateway.siteId === siteId) return;
    throw new ValidationFailed('The gateway is on another site', [
      { field: 'gatewayId', messages: [`gatewayId must be a gateway on site ${siteId}`] },
    ]);
  }

  private async recordStatusChange(
    actor: RequestActor,
    meter: MeterEntity,
    from: MeterStatus,
    reason: string | null,
    revoked: DeviceCredentialEntity | null,
  ): Promise<void> {
    const base = {
      organizationId: meter.organizationId,
      actor,
      subject: { type: 'meter', id: meter.id },
    };
    const to = meter.status;
    await this.events.record({
      ...base,
      type: 'device.status_changed',
      data: { from, to, reason },
    });
    if (to === 'maintenance')
      await this.events.record({ ...base, type: 'device.maintenance_on', data: { reason } });
    if (to === 'decommissioned') {
      await this.events.record({ ...base, type: 'device.decommissioned', data: { from, reason } });
    }
    if (revoked)
      await this.credentials.record(actor, 'credentials.revoked', revoked, {
        reason: 'decommissioned',
      });
  }
}

function illegalTransition(from: MeterStatus, to: MeterStatus): Conflict {
  return new Conflict('illegal_status_transition', `A meter cannot go from ${from} to ${to}`, {
    from,
    to,
    allowed: allowedMeterTransitions(from),
  });
}

export function toMeterView(meter: MeterEntity): MeterDto {
  return {
    id: meter.id,
    name: meter.name,
    siteId: meter.siteId,
    gatewayId: meter.gatewayId,
    kind: meter.kind,
    model: meter.model,
    firmware: meter.firmware,
    location: meter.location,
    tags: meter.tags,
    metadata: meter.metadata,
    modbusUnitId: meter.modbusUnitId,
    registerMap: meter.registerMap,
    // The column holds only what the DTO validated: known parameters with numeric bounds.
    rangeOverrides: meter.rangeOverrides as ValueRangeOverrides,
    heartbeatIntervalSeconds: meter.heartbeatIntervalSeconds,
    status: meter.status,
    lastSeenAt: meter.lastSeenAt?.toISOString() ?? null,
    createdAt: meter.createdAt.toISOString(),
    updatedAt: meter.updatedAt.toISOString(),
  };
}
