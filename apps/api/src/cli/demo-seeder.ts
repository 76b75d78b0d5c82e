import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { ROLES, type FleetManifest, type Role } from '@gridwatch/contracts';
import {
  AlertRuleEntity,
  APP_CONFIG,
  AppConfig,
  DeviceCredentialEntity,
  GatewayEntity,
  MeterEntity,
  OrganizationEntity,
  SecretBox,
  SiteEntity,
  SiteTariffEntity,
  UserEntity,
} from '@gridwatch/server';
import { hashPassword } from '../modules/auth/passwords';
import { OrganizationsService } from '../modules/organizations/organizations.service';
import { DemoTickets } from './demo-tickets';
import {
  DEMO_EMAIL_DOMAIN,
  DEMO_GATEWAYS,
  DEMO_ORGANIZATION,
  DEMO_SITES,
  type DemoGateway,
} from './demo-fleet';

/** The demo fleet's manifest, for the simulators. */
export type DemoManifest = FleetManifest;

/** Creates or brings up to date the demo organization; running it twice changes nothing. */
@Injectable()
export class DemoSeeder {
  private readonly box: SecretBox;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly organizations: OrganizationsService,
    private readonly tickets: DemoTickets,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.box = new SecretBox(config.credentialsKey);
  }

  async seed(password: string, previous: DemoManifest | null): Promise<DemoManifest> {
    const organization = await this.organization();
    await this.users(organization, password);
    const sites = new Map<string, SiteEntity>();
    for (const site of DEMO_SITES) sites.set(site.code, await this.site(organization, site));
    const manifest: DemoManifest = { organizationId: organization.id, gateways: [] };
    for (const spec of DEMO_GATEWAYS) {
      const site = sites.get(spec.siteCode) as SiteEntity;
      manifest.gateways.push(await this.gateway(organization, site, spec, previous));
    }
    await this.alertRules(organization);
    await this.tickets.seed(organization);
    return manifest;
  }

  /**
   * A handful of sensible rules, so the simulators' data raises live alerts: heaters drawing
   * power out of hours, a UPS whose mains sag below 200 V, any meter going offline. Missing ones
   * are added by name; rules a user changed are left alone. (Seeding runs before the API starts,
   * so no running process holds the rules cached.)
   */
  private async alertRules(organization: OrganizationEntity): Promise<void> {
    const repository = this.db.getRepository(AlertRuleEntity);
    const meters = await this.db
      .getRepository(MeterEntity)
      .findBy({ organizationId: organization.id });
    const facilities = [`facilities@${DEMO_EMAIL_DOMAIN}`];
    const base = {
      organizationId: organization.id,
      siteId: null,
      durationSeconds: 0,
      cooldownSeconds: 300,
      autoResolve: true,
      escalation: null,
      repeatMinutes: null,
      schedule: 'always' as const,
      enabled: true,
      webhookSecretSealed: null,
    };
    const rules: Array<Partial<AlertRuleEntity>> = [
      ...meters
        .filter((meter) => meter.kind === 'heater')
        .map((meter) => ({
          ...base,
          name: `Heater on out of hours: ${meter.name}`,
          meterId: meter.id,
          parameter: 'power_w' as const,
          condition: 'above' as const,
          threshold: 0,
          durationSeconds: 60,
          severity: 'warning' as const,
          channels: ['in_app' as const],
          recipients: { userIds: [], emails: [], webhookUrl: null },
          schedule: 'out_of_hours' as const,
        })),
      ...meters
        .filter((meter) => meter.kind === 'ups')
        .map((meter) => ({
          ...base,
          name: `UPS mains below 200 V: ${meter.name}`,
          meterId: meter.id,
          parameter: 'voltage_v' as const,
          condition: 'below' as const,
          threshold: 200,
          severity: 'critical' as const,
          channels: ['in_app' as const, 'email' as const],
          recipients: { userIds: [], emails: facilities, webhookUrl: null },
          escalation: { afterMinutes: 15, maxLevel: 2 },
        })),
      {
        ...base,
        name: 'Any meter offline',
        meterId: null,
        parameter: null,
        condition: 'device_offline' as const,
        threshold: null,
        severity: 'error' as const,
        channels: ['in_app' as const, 'email' as const],
        recipients: { userIds: [], emails: facilities, webhookUrl: null },
        escalation: { afterMinutes: 30, maxLevel: 2 },
        repeatMinutes: 60,
      },
    ];
    for (const rule of rules) {
      const exists = await repository.existsBy({
        organizationId: organization.id,
        name: rule.name,
      });
      if (!exists) await repository.save(repository.create(rule));
    }
  }

  private async organization(): Promise<OrganizationEntity> {
    const email = `owner@${DEMO_EMAIL_DOMAIN}`;
    const owner = await this.db.getRepository(UserEntity).findOneBy({ email });
    if (owner)
      return this.db
        .getRepository(OrganizationEntity)
        .findOneByOrFail({ id: owner.organizationId });
    const created = await this.organizations.createWithOwner({
      organizationName: DEMO_ORGANIZATION,
      ownerName: 'Olivia Owner',
      email,
      // A throwaway: users() sets the documented demo password next, unchecked, for every role.
      password: randomBytes(24).toString('base64url'),
    });
    return created.organization;
  }

  private async users(organization: OrganizationEntity, password: string): Promise<void> {
    const repository = this.db.getRepository(UserEntity);
    const passwordHash = await hashPassword(password);
    for (const role of ROLES) {
      const email = `${role}@${DEMO_EMAIL_DOMAIN}`;
      const existing = await repository.findOneBy({ email });
      // Re-seeding resets the demo logins so the documented password always works.
      await repository.save({
        ...(existing ?? {}),
        organizationId: organization.id,
        email,
        name: demoName(role),
        role,
        disabled: false,
        passwordHash,
      });
    }
  }

  private async site(
    organization: OrganizationEntity,
    spec: (typeof DEMO_SITES)[number],
  ): Promise<SiteEntity> {
    const repository = this.db.getRepository(SiteEntity);
    const existing = await repository.findOneBy({
      organizationId: organization.id,
      code: spec.code,
    });
    const site = await repository.save({
      ...(existing ?? {}),
      ...spec,
      organizationId: organization.id,
      operatingHours: {
        mon: { open: '08:00', close: '18:00' },
        tue: { open: '08:00', close: '18:00' },
        wed: { open: '08:00', close: '18:00' },
        thu: { open: '08:00', close: '18:00' },
        fri: { open: '08:00', close: '17:00' },
      },
    });
    await this.tariff(site, spec.code === 'NYC-DC' ? 'USD' : 'GBP');
    return site;
  }

  /** A night and a day band, set once: a re-seed keeps a tariff someone changed since. */
  private async tariff(site: SiteEntity, currency: string): Promise<void> {
    const repository = this.db.getRepository(SiteTariffEntity);
    if (await repository.existsBy({ siteId: site.id })) return;
    const days = [1, 2, 3, 4, 5, 6, 7];
    await repository.save({
      organizationId: site.organizationId,
      siteId: site.id,
      document: {
        type: 'time_of_use',
        currency,
        standingChargePerDay: 0.45,
        periods: [
          {
            validFrom: '2020-01-01',
            bands: [
              { days, from: '00:00', to: '07:00', price: 0.12, name: 'night' },
              { days, from: '07:00', to: '24:00', price: 0.28, name: 'day' },
            ],
          },
        ],
      },
    });
  }

  private async gateway(
    organization: OrganizationEntity,
    site: SiteEntity,
    spec: DemoGateway,
    previous: DemoManifest | null,
  ): Promise<DemoManifest['gateways'][number]> {
    return this.db.transaction(async (manager) => {
      const existing = await manager.findOneBy(GatewayEntity, { serialNumber: spec.serialNumber });
      const gateway = await manager.save(GatewayEntity, {
        ...(existing ?? { status: 'unknown' as const, connection: {} }),
        organizationId: organization.id,
        siteId: site.id,
        serialNumber: spec.serialNumber,
        name: spec.name,
        protocol: spec.protocol,
        host: spec.host ?? null,
        port: spec.port ?? null,
        pollIntervalSeconds: spec.pollIntervalSeconds,
      });
      const meters: MeterEntity[] = [];
      for (const meter of spec.meters) {
        const found = await manager.findOneBy(MeterEntity, {
          gatewayId: gateway.id,
          name: meter.name,
        });
        meters.push(
          await manager.save(MeterEntity, {
            ...(found ?? { status: 'offline' as const, metadata: {} }),
            // North American sites run at 120 V: the default plausible range is for 230 V grids.
            rangeOverrides: site.timezone.startsWith('America/')
              ? { voltage_v: { min: 100, max: 140 } }
              : {},
            organizationId: organization.id,
            siteId: site.id,
            gatewayId: gateway.id,
            name: meter.name,
            kind: meter.kind,
            location: meter.location,
            tags: meter.tags,
            modbusUnitId: meter.modbusUnitId ?? null,
            registerMap: meter.registerMap ?? null,
            heartbeatIntervalSeconds:
              spec.protocol === 'modbus_tcp' ? 3 * spec.pollIntervalSeconds : 900,
          }),
        );
      }
      const known = previous?.gateways.find(
        (entry) => entry.serialNumber === spec.serialNumber,
      )?.secret;
      const secret = await this.credential(manager, gateway, known);
      return {
        serialNumber: gateway.serialNumber,
        protocol: gateway.protocol,
        timezone: site.timezone,
        host: gateway.host,
        port: gateway.port,
        secret,
        meters: meters.map((meter) => ({
          id: meter.id,
          name: meter.name,
          kind: meter.kind,
          modbusUnitId: meter.modbusUnitId,
          registerMap: meter.registerMap,
        })),
      };
    });
  }

  /** Keeps the active secret when the manifest still knows it; otherwise issues a new one. */
  private async credential(
    manager: EntityManager,
    gateway: GatewayEntity,
    known?: string,
  ): Promise<string> {
    const active = await manager.findOneBy(DeviceCredentialEntity, {
      ownerType: 'gateway',
      ownerId: gateway.id,
      revokedAt: IsNull(),
    });
    if (active && known && this.opens(active.secretSealed, known)) return known;
    if (active) await manager.update(DeviceCredentialEntity, active.id, { revokedAt: new Date() });
    const secret = randomBytes(32).toString('base64url');
    await manager.save(DeviceCredentialEntity, {
      organizationId: gateway.organizationId,
      ownerType: 'gateway' as const,
      ownerId: gateway.id,
      deviceId: gateway.serialNumber,
      secretSealed: this.box.seal(secret),
    });
    return secret;
  }

  private opens(sealed: string, secret: string): boolean {
    try {
      return this.box.open(sealed) === secret;
    } catch {
      return false;
    }
  }
}

function demoName(role: Role): string {
  const names: Record<Role, string> = {
    owner: 'Olivia Owner',
    operator: 'Oscar Operator',
    viewer: 'Vera Viewer',
    support: 'Sam Support',
  };
  return names[role];
}
