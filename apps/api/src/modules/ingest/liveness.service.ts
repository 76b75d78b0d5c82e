import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  DomainEvent,
  type GatewayStatus,
  type MeterStatus,
  type StatusChangedEvent,
} from '@gridwatch/contracts';
import { GatewayStatusWriter } from '@gridwatch/ingest';
import { APP_CONFIG, AppConfig, EventRecorder } from '@gridwatch/server';
import { PeriodicTask } from '../../common/periodic-task';
import { DomainEvents } from '../domain-events/domain-events';

interface Flip {
  id: string;
  organization_id: string;
  previous: string;
  status: string;
}

/**
 * last_seen_at and online/offline: marked online by traffic (one UPDATE per job, not per
 * reading), marked offline by a sweeper once silent for N heartbeat intervals. Each flip is an
 * audit event. UPDATE ... RETURNING makes two sweepers racing emit each flip once.
 */
@Injectable()
export class LivenessService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Liveness');
  private readonly sweeper: PeriodicTask;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly events: EventRecorder,
    private readonly gatewayStatus: GatewayStatusWriter,
    private readonly domainEvents: DomainEvents,
  ) {
    this.sweeper = new PeriodicTask(
      'sweep',
      config.sweepIntervalSeconds * 1000,
      async () => void (await this.sweep()),
      this.logger,
    );
  }

  onApplicationBootstrap(): void {
    if (this.config.processMode === 'api') return;
    this.sweeper.start();
  }

  /** Waits for a sweep in flight: the pool closes after this. */
  onModuleDestroy(): Promise<void> {
    return this.sweeper.stop();
  }

  async seen(
    meterIds: string[],
    gatewayId: string | null,
    manager: EntityManager = this.db.manager,
  ): Promise<void> {
    if (meterIds.length > 0) {
      // A meter another job is marking seen right now is being marked by it: skip it, not wait.
      const flips = (await manager.query(
        `WITH previous AS (
           SELECT id, status FROM meters WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE SKIP LOCKED
         )
         UPDATE meters m SET last_seen_at = now(),
           status = CASE WHEN previous.status = 'offline' THEN 'online' ELSE previous.status END
         FROM previous WHERE m.id = previous.id
         RETURNING m.id, m.organization_id, previous.status AS previous, m.status`,
        [meterIds],
      )) as [Flip[], number];
      await this.announce('meter', flips[0]);
    }
    if (gatewayId) {
      // Like the meters: a gateway another job is marking seen right now is being marked by it.
      await this.gatewayStatus.write(
        gatewayId,
        { status: 'online', seen: true, connection: null, source: 'ingest', skipIfBusy: true },
        manager,
      );
    }
  }

  /** A gateway message or ping: online, zero missed pings, optional connection details merged. */
  async gatewaySeen(
    gatewayId: string,
    connection: Record<string, unknown> | null,
    manager: EntityManager = this.db.manager,
  ): Promise<void> {
    await this.gatewayStatus.write(
      gatewayId,
      { status: 'online', seen: true, connection, source: connection ? 'http' : 'ingest' },
      manager,
    );
  }

  /** Marks silent meters and gateways offline; returns how many flipped. */
  async sweep(): Promise<number> {
    const factor = this.config.offlineAfterHeartbeats;
    const meters = (await this.db.query(
      `UPDATE meters SET status = 'offline'
       WHERE status = 'online' AND last_seen_at < now() - make_interval(secs => heartbeat_interval_seconds * $1)
       RETURNING id, organization_id, 'online' AS previous, status`,
      [factor],
    )) as [Flip[], number];
    const gateways = (await this.db.query(
      `UPDATE gateways SET status = 'offline',
         missed_pings = floor(extract(epoch FROM now() - last_seen_at) / poll_interval_seconds)::int
       WHERE status IN ('online', 'degraded')
         AND last_seen_at < now() - make_interval(secs => poll_interval_seconds * $1)
       RETURNING id, organization_id, 'online' AS previous, status`,
      [factor],
    )) as [Flip[], number];
    await this.announce('meter', meters[0]);
    await this.announce('gateway', gateways[0]);
    return meters[0].length + gateways[0].length;
  }

  private async announce(subjectType: 'meter' | 'gateway', flips: Flip[]): Promise<void> {
    for (const flip of flips.filter((row) => row.previous !== row.status)) {
      await this.events.record({
        organizationId: flip.organization_id,
        type: flip.status === 'offline' ? 'device.offline' : 'device.online',
        subject: { type: subjectType, id: flip.id },
        data: { from: flip.previous, to: flip.status },
      });
      await this.domainEvents.emit(DomainEvent.StatusChanged, statusChanged(subjectType, flip));
    }
  }
}

/** Statuses come from the meters and gateways tables, whose values the state machines keep valid. */
function statusChanged(subject: 'meter' | 'gateway', flip: Flip): StatusChangedEvent {
  const common = {
    organizationId: flip.organization_id,
    id: flip.id,
    reason: null,
    at: new Date().toISOString(),
  };
  return subject === 'meter'
    ? {
        ...common,
        subject,
        from: flip.previous as MeterStatus,
        to: flip.status as MeterStatus,
      }
    : {
        ...common,
        subject,
        from: flip.previous as GatewayStatus,
        to: flip.status as GatewayStatus,
      };
}
