import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AccessTokenClaims, GatewayProtocol, MeterKind, Role } from '@gridwatch/contracts';
import {
  AlertEntity,
  AlertRuleEntity,
  APP_CONFIG,
  AppConfig,
  NotificationEntity,
  DataQualityIssueEntity,
  DeviceCredentialEntity,
  GatewayEntity,
  MeterEntity,
  OrganizationEntity,
  SecretBox,
  SiteEntity,
  TicketEntity,
  TicketSnapshotEntity,
  UserEntity,
} from '@gridwatch/server';
import { hashPassword } from '../../src/modules/auth/passwords';

/** The test users' password, generated per run: no password is written in the source. */
export const TEST_PASSWORD = randomBytes(18).toString('base64url');
let passwordHash: Promise<string> | undefined;

export interface TestUser {
  user: UserEntity;
  token: string;
  password: string;
  /** `Authorization: Bearer ...` header value. */
  auth: string;
}

/** One line per thing a test needs: an organization, a user of a role with its token, devices. */
export class Factory {
  private readonly db: DataSource;
  private readonly jwt: JwtService;
  private readonly box: SecretBox;
  /** Alert rules, alerts and notifications, one line each. */
  readonly alerts: AlertFactory;

  constructor(app: INestApplication) {
    this.db = app.get<DataSource>(getDataSourceToken());
    this.alerts = new AlertFactory(this.db);
    this.jwt = app.get(JwtService);
    this.box = new SecretBox(app.get<AppConfig>(APP_CONFIG).credentialsKey);
  }

  /** An active device credential; returns the headers a device would send with its secret. */
  async credential(owner: GatewayEntity | MeterEntity): Promise<DeviceKeys> {
    const isGateway = 'serialNumber' in owner;
    const deviceId = isGateway ? owner.serialNumber : owner.id;
    const secret = randomBytes(24).toString('base64url');
    await this.db.getRepository(DeviceCredentialEntity).save({
      organizationId: owner.organizationId,
      ownerType: isGateway ? ('gateway' as const) : ('meter' as const),
      ownerId: owner.id,
      deviceId,
      secretSealed: this.box.seal(secret),
    });
    return new DeviceKeys(deviceId, secret);
  }

  organization(name = `Org ${randomUUID().slice(0, 8)}`): Promise<OrganizationEntity> {
    return this.db.getRepository(OrganizationEntity).save({ name, settings: {} });
  }

  async user(
    organization: OrganizationEntity,
    role: Role,
    overrides: Partial<UserEntity> = {},
  ): Promise<TestUser> {
    passwordHash ??= hashPassword(TEST_PASSWORD);
    const user = await this.db.getRepository(UserEntity).save({
      organizationId: organization.id,
      email: `${role}-${randomUUID().slice(0, 8)}@test.gridwatch.dev`,
      name: `Test ${role}`,
      role,
      passwordHash: await passwordHash,
      ...overrides,
    });
    const token = this.token(user);
    return { user, token, password: TEST_PASSWORD, auth: `Bearer ${token}` };
  }

  token(user: UserEntity, options: { expiresIn?: number } = {}): string {
    const claims: AccessTokenClaims = { sub: user.id, org: user.organizationId, role: user.role };
    return this.jwt.sign(claims, { expiresIn: options.expiresIn ?? 900 });
  }

  site(organization: OrganizationEntity, overrides: Partial<SiteEntity> = {}): Promise<SiteEntity> {
    return this.db.getRepository(SiteEntity).save({
      organizationId: organization.id,
      code: `S-${randomUUID().slice(0, 6)}`,
      name: 'Test site',
      timezone: 'Europe/London',
      operatingHours: {},
      ...overrides,
    });
  }

  gateway(
    site: SiteEntity,
    protocol: GatewayProtocol = 'http',
    overrides: Partial<GatewayEntity> = {},
  ): Promise<GatewayEntity> {
    return this.db.getRepository(GatewayEntity).save({
      organizationId: site.organizationId,
      siteId: site.id,
      serialNumber: `GW-${randomUUID().slice(0, 8)}`,
      name: 'Test gateway',
      protocol,
      connection: {},
      ...overrides,
    });
  }

  meter(
    site: SiteEntity,
    gateway: GatewayEntity | null = null,
    kind: MeterKind = 'main',
    overrides: Partial<MeterEntity> = {},
  ): Promise<MeterEntity> {
    return this.db.getRepository(MeterEntity).save({
      organizationId: site.organizationId,
      siteId: site.id,
      gatewayId: gateway?.id ?? null,
      name: `Meter ${randomUUID().slice(0, 4)}`,
      kind,
      tags: [],
      metadata: {},
      rangeOverrides: {},
      ...overrides,
    });
  }

  /** An open data quality issue of the meter (out_of_range on frequency_hz unless overridden). */
  dataQualityIssue(
    meter: MeterEntity,
    overrides: Partial<DataQualityIssueEntity> = {},
  ): Promise<DataQualityIssueEntity> {
    return this.db.getRepository(DataQualityIssueEntity).save({
      organizationId: meter.organizationId,
      meterId: meter.id,
      gatewayId: meter.gatewayId,
      kind: 'out_of_range' as const,
      severity: 'warning' as const,
      parameter: 'frequency_hz',
      message: 'frequency_hz value 99 is outside the plausible range',
      details: { count: 1 },
      ...overrides,
    });
  }

  /** An open normal-priority ticket, by a new support user unless `creator` is given. */
  async ticket(
    organization: OrganizationEntity,
    { creator, overrides = {} }: TicketOptions = {},
  ): Promise<TicketEntity> {
    const author = creator ?? (await this.user(organization, 'support')).user;
    const now = Date.now();
    return this.db.getRepository(TicketEntity).save({
      organizationId: organization.id,
      // Far above the API's numbering (it starts at 1001), so the two never collide.
      number: 1_000_000 + Math.floor(Math.random() * 1_000_000_000),
      subject: 'Test ticket',
      description: '',
      priority: 'normal' as const,
      status: 'open' as const,
      creatorId: author.id,
      firstResponseDueAt: new Date(now + 8 * 3600_000),
      resolutionDueAt: new Date(now + 72 * 3600_000),
      ...overrides,
    });
  }

  /** Version `version` of a device snapshot of `meter` on `ticket` (a minimal document). */
  snapshot(ticket: TicketEntity, meter: MeterEntity, version = 1): Promise<TicketSnapshotEntity> {
    const capturedAt = new Date();
    return this.db.getRepository(TicketSnapshotEntity).save({
      organizationId: ticket.organizationId,
      ticketId: ticket.id,
      meterId: meter.id,
      version,
      capturedBy: ticket.creatorId,
      capturedAt,
      sizeBytes: 2,
      document: {
        schemaVersion: 1 as const,
        capturedAt: capturedAt.toISOString(),
        meter: {
          id: meter.id,
          name: meter.name,
          kind: meter.kind,
          status: meter.status,
          siteId: meter.siteId,
          model: null,
          firmware: null,
          location: null,
          lastSeenAt: null,
        },
        latestReadings: [],
        dataQualityIssues: [],
        openAlerts: [],
        gateway: null,
      },
    });
  }
}

export interface TicketOptions {
  creator?: UserEntity;
  overrides?: Partial<TicketEntity>;
}

export class AlertFactory {
  constructor(private readonly db: DataSource) {}

  /** An enabled org-wide rule: power_w above 100, in-app. */
  rule(organization: OrganizationEntity, overrides: Partial<AlertRuleEntity> = {}) {
    return this.db.getRepository(AlertRuleEntity).save({
      organizationId: organization.id,
      name: 'Test rule',
      parameter: 'power_w' as const,
      condition: 'above' as const,
      threshold: 100,
      severity: 'warning' as const,
      channels: ['in_app' as const],
      recipients: { userIds: [], emails: [], webhookUrl: null },
      ...overrides,
    });
  }

  /** An active alert of the rule on the meter. */
  alert(rule: AlertRuleEntity, meter: MeterEntity, overrides: Partial<AlertEntity> = {}) {
    const now = new Date();
    return this.db.getRepository(AlertEntity).save({
      organizationId: rule.organizationId,
      ruleId: rule.id,
      meterId: meter.id,
      siteId: meter.siteId,
      ruleName: rule.name,
      condition: rule.condition,
      parameter: rule.parameter,
      threshold: rule.threshold,
      severity: rule.severity,
      title: `${rule.name}: ${meter.name}`,
      message: 'power_w 150 is above 100',
      firstValue: 150,
      lastValue: 150,
      triggeredAt: now,
      lastTriggeredAt: now,
      ...overrides,
    });
  }

  /** An unread in-app notification for the user. */
  notification(user: UserEntity, alert: AlertEntity | null = null) {
    return this.db.getRepository(NotificationEntity).save({
      organizationId: user.organizationId,
      userId: user.id,
      alertId: alert?.id ?? null,
      event: 'alert.triggered' as const,
      title: 'WARNING: Test rule',
      body: 'power_w 150 is above 100',
      severity: 'warning' as const,
    });
  }
}

/** A device's id and secret, and the headers for either way of authenticating. */
export class DeviceKeys {
  constructor(
    readonly deviceId: string,
    readonly secret: string,
  ) {}

  headers(): Record<string, string> {
    return { 'X-Device-ID': this.deviceId, 'X-Device-Secret': this.secret };
  }

  signed(body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
    const signature = createHmac('sha256', this.secret)
      .update(`${timestamp}.${body}`)
      .digest('hex');
    return {
      'X-Device-ID': this.deviceId,
      'X-Timestamp': String(timestamp),
      'X-Signature': signature,
      'Content-Type': 'application/json',
    };
  }
}
