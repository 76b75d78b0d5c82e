import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AlertStatus, type DeviceSnapshotDocument } from '@gridwatch/contracts';
import {
  AlertEntity,
  DataQualityIssueEntity,
  GatewayEntity,
  MeterEntity,
  NotFound,
} from '@gridwatch/server';
import { ReadingsQueryRepository } from '../readings/readings-query.repository';

/** Resolved issues stay in a snapshot for this long after their resolution. */
const RESOLVED_ISSUE_DAYS = 7;
const MAX_ISSUES = 50;
const MAX_ALERTS = 50;

/** Reads what a device snapshot captures of a meter (the API and the demo seeder share it). */
@Injectable()
export class TicketSnapshotsRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly readings: ReadingsQueryRepository,
  ) {}

  async document(
    organizationId: string,
    meterId: string,
    capturedAt: Date,
  ): Promise<DeviceSnapshotDocument> {
    const manager: EntityManager = this.db.manager;
    const meter = await manager.findOneBy(MeterEntity, { id: meterId, organizationId });
    if (!meter) throw new NotFound('meter_not_found', 'Meter');
    const gateway = meter.gatewayId
      ? await manager.findOneBy(GatewayEntity, { id: meter.gatewayId, organizationId })
      : null;
    const issues = await manager
      .createQueryBuilder(DataQualityIssueEntity, 'issue')
      .where('issue.organization_id = :organizationId AND issue.meter_id = :meterId', {
        organizationId,
        meterId,
      })
      .andWhere(`(issue.resolved_at IS NULL OR issue.resolved_at > :since)`, {
        since: new Date(capturedAt.getTime() - RESOLVED_ISSUE_DAYS * 86_400_000),
      })
      .orderBy('issue.detected_at', 'DESC')
      .addOrderBy('issue.id', 'DESC')
      .take(MAX_ISSUES)
      .getMany();
    const alerts = await manager
      .createQueryBuilder(AlertEntity, 'alert')
      .where('alert.organization_id = :organizationId AND alert.meter_id = :meterId', {
        organizationId,
        meterId,
      })
      .andWhere('alert.status <> :resolved', { resolved: AlertStatus.Resolved })
      .orderBy('alert.triggered_at', 'DESC')
      .addOrderBy('alert.id', 'DESC')
      .take(MAX_ALERTS)
      .getMany();
    return {
      schemaVersion: 1,
      capturedAt: capturedAt.toISOString(),
      meter: {
        id: meter.id,
        name: meter.name,
        kind: meter.kind,
        status: meter.status,
        siteId: meter.siteId,
        model: meter.model,
        firmware: meter.firmware,
        location: meter.location,
        lastSeenAt: meter.lastSeenAt?.toISOString() ?? null,
      },
      latestReadings: await this.readings.latest(meter.id),
      dataQualityIssues: issues.map((issue) => ({
        id: issue.id,
        kind: issue.kind,
        severity: issue.severity,
        parameter: issue.parameter,
        message: issue.message,
        detectedAt: issue.detectedAt.toISOString(),
        resolvedAt: issue.resolvedAt?.toISOString() ?? null,
      })),
      openAlerts: alerts.map((alert) => ({
        id: alert.id,
        ruleName: alert.ruleName,
        severity: alert.severity,
        status: alert.status,
        title: alert.title,
        condition: alert.condition,
        parameter: alert.parameter,
        lastValue: alert.lastValue,
        triggeredAt: alert.triggeredAt.toISOString(),
        acknowledgedAt: alert.acknowledgedAt?.toISOString() ?? null,
      })),
      gateway: gateway
        ? {
            id: gateway.id,
            serialNumber: gateway.serialNumber,
            name: gateway.name,
            protocol: gateway.protocol,
            status: gateway.status,
            lastSeenAt: gateway.lastSeenAt?.toISOString() ?? null,
            connection: gateway.connection,
          }
        : null,
    };
  }
}
