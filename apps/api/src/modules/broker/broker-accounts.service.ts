import { createHmac } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MQTT_TOPICS, MqttTopic, mqttTopicFilter } from '@gridwatch/contracts';
import type { CredentialOwnerType } from '@gridwatch/contracts';
import { APP_CONFIG, AppConfig, SecretBox } from '@gridwatch/server';
import { DynamicSecurityClient, type DynsecCommand } from './dynamic-security.client';

/** The transport's role; each device gets a role of its own (see deviceRole). */
export const TRANSPORT_ROLE = 'gridwatch-transport';
/**
 * Mosquitto 2.0.11's dynamic security does not expand `%u` in ACL topics (tried here), so each
 * device has a role naming its own topics.
 */
const DEVICE_ROLE_PREFIX = 'gridwatch-device-';
/** Marks the broker clients this service owns (the text name also carries the secret's version). */
const DEVICE_TEXT_PREFIX = 'gridwatch device';
const TRANSPORT_TEXT_PREFIX = 'gridwatch transport';
const COMMANDS_PER_MESSAGE = 100;
const ANSWER_TIMEOUT_MS = 5000;
const SYNC_SOON_MS = 1000;

interface Acl {
  acltype: string;
  topic: string;
  allow: boolean;
}

const publish = (topic: string): Acl => ({ acltype: 'publishClientSend', topic, allow: true });
const topicOf = (topic: MqttTopic, deviceId: string): string => topic.replace(/\{\w+\}/, deviceId);

/** Publish to its own topics only; no subscribe ACL at all (the broker's default denies). */
function deviceAcls(ownerType: CredentialOwnerType, deviceId: string): Acl[] {
  return ownerType === 'gateway'
    ? [
        publish(topicOf(MqttTopic.GatewayReadings, deviceId)),
        publish(topicOf(MqttTopic.GatewayStatus, deviceId)),
      ]
    : [publish(topicOf(MqttTopic.MeterReadings, deviceId))];
}

/** Subscribes (shared) to every device topic; publishes only its own status and last will. */
const TRANSPORT_ACLS: Acl[] = [
  ...MQTT_TOPICS.flatMap((topic) => [
    // Mosquitto 2.0.11 checks a shared subscription with its `$share/<group>/` prefix.
    { acltype: 'subscribePattern', topic: `$share/+/${mqttTopicFilter(topic)}`, allow: true },
    { acltype: 'subscribePattern', topic: mqttTopicFilter(topic), allow: true },
    { acltype: 'publishClientReceive', topic: mqttTopicFilter(topic), allow: true },
  ]),
  publish('gridwatch/transport/+/status'),
];

interface DesiredClient {
  username: string;
  password: string;
  textname: string;
  role: string;
  /** The role's ACLs when the role is the client's own (devices). */
  ownRole?: Acl[];
}

interface PresentClient {
  username: string;
  textname?: string;
  roles?: { rolename: string }[];
}

interface CredentialRow {
  id: string;
  owner_type: CredentialOwnerType;
  device_id: string;
  secret_sealed: string;
  version: string;
}

/** Answers that mean "already as wanted": repeating the command is harmless. */
function alreadyDone(command: string, error: string): boolean {
  if (/^(create|add)/.test(command)) return /already exists/i.test(error);
  if (/^delete/.test(command)) return /not found/i.test(error);
  return false;
}

/**
 * One broker client per MQTT gateway and direct device (user name = device id, password = its
 * current GridWatch secret), kept in step with the credentials table through the broker's
 * dynamic-security plugin: synced after each credential change, and reconciled in full on every
 * connection to the broker and every BROKER_RECONCILE_SECONDS, so a change the broker missed
 * (down, slow) is applied later and never fails the credential change itself. Off (logged once)
 * without MQTT_ADMIN_USERNAME / MQTT_ADMIN_PASSWORD; never in a worker-only process.
 */
@Injectable()
export class BrokerAccounts implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('BrokerAccounts');
  private readonly box: SecretBox;
  private control?: DynamicSecurityClient;
  private timer?: NodeJS.Timeout;
  private soonTimer?: NodeJS.Timeout;
  /** Serialises syncs and reconciles so two never interleave their commands. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.box = new SecretBox(config.credentialsKey);
  }

  get enabled(): boolean {
    return this.control !== undefined;
  }

  onApplicationBootstrap(): void {
    if (this.config.processMode === 'worker') return;
    const admin = this.config.mqttAdmin;
    if (!admin) {
      this.logger.log(
        'MQTT_ADMIN_USERNAME is unset: no broker accounts are provisioned (the broker must be open)',
      );
      return;
    }
    this.control = new DynamicSecurityClient(
      this.config.mqttUrl,
      admin,
      ANSWER_TIMEOUT_MS,
      () => this.reconcileSoon(0),
      (message) => this.logger.warn(`broker control: ${message}`),
    );
    this.control.start();
    this.timer = setInterval(
      () => this.reconcileSoon(0),
      this.config.brokerReconcileSeconds * 1000,
    );
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    clearTimeout(this.soonTimer);
    await this.control?.stop();
  }

  /**
   * Brings one gateway's or meter's broker client in line with its credentials; never throws (a
   * failure is logged and left to the next reconcile).
   */
  async syncOwner(owner: { type: CredentialOwnerType; id: string }): Promise<void> {
    if (!this.control) return;
    try {
      await this.serialised(() => this.applyOwner(owner));
    } catch (error) {
      this.logger.warn(
        `broker client of ${owner.type} ${owner.id} not synced (${(error as Error).message}); the next reconcile retries`,
      );
      this.reconcileSoon(this.config.brokerReconcileSeconds * 1000);
    }
  }

  /** A full reconcile shortly (after the caller's transaction has committed). */
  reconcileSoon(delayMs = SYNC_SOON_MS): void {
    if (!this.control) return;
    clearTimeout(this.soonTimer);
    this.soonTimer = setTimeout(() => {
      this.reconcile().catch((error: Error) =>
        this.logger.warn(`broker reconcile failed: ${error.message}`),
      );
    }, delayMs);
    this.soonTimer.unref();
  }

  /** Every role, the transport's account and every device's client as the database says. */
  async reconcile(): Promise<void> {
    if (!this.control) return;
    await this.serialised(async () => {
      await this.ensureRoles();
      const desired = await this.desiredClients();
      const present = await this.presentClients();
      const commands: DynsecCommand[] = [];
      for (const client of present.values()) {
        if (isDeviceClient(client) && !desired.has(client.username)) {
          commands.push(...removal(client.username));
        }
      }
      const transport = this.transportClient();
      if (transport) desired.set(transport.username, transport);
      for (const wanted of desired.values()) {
        commands.push(...this.commandsFor(wanted, present.get(wanted.username)));
      }
      await this.run(commands);
    });
  }

  private async applyOwner(owner: { type: CredentialOwnerType; id: string }): Promise<void> {
    const rows = (await this.db.query(
      `SELECT DISTINCT device_id FROM device_credentials WHERE owner_type = $1 AND owner_id = $2`,
      [owner.type, owner.id],
    )) as { device_id: string }[];
    if (rows.length === 0) return;
    const desired = await this.desiredClients(owner);
    const commands: DynsecCommand[] = [];
    for (const { device_id: username } of rows) {
      const present = await this.presentClient(username);
      const wanted = desired.get(username);
      if (wanted) commands.push(...this.commandsFor(wanted, present));
      else if (present && isDeviceClient(present)) commands.push(...removal(username));
    }
    await this.run(commands);
  }

  /** Nothing when the client is as wanted; else it is created afresh (a changed secret kicks it). */
  private commandsFor(wanted: DesiredClient, present: PresentClient | undefined): DynsecCommand[] {
    if (present && !isDeviceClient(present) && !isTransportClient(present)) {
      this.logger.warn(`broker user ${wanted.username} exists and is not GridWatch's: left alone`);
      return [];
    }
    if (present?.textname === wanted.textname) return [];
    const commands: DynsecCommand[] = present ? removal(wanted.username) : [];
    if (wanted.ownRole) commands.push(...roleCommands(wanted.role, wanted.ownRole));
    commands.push({
      command: 'createClient',
      username: wanted.username,
      password: wanted.password,
      textname: wanted.textname,
      roles: [{ rolename: wanted.role }],
    });
    return commands;
  }

  private async ensureRoles(): Promise<void> {
    await this.run(roleCommands(TRANSPORT_ROLE, TRANSPORT_ACLS));
  }

  /** Active credentials of MQTT gateways and of meters (direct devices), secrets opened. */
  private async desiredClients(owner?: {
    type: CredentialOwnerType;
    id: string;
  }): Promise<Map<string, DesiredClient>> {
    const rows = (await this.db.query(
      `SELECT c.id, c.owner_type, c.device_id, c.secret_sealed,
              (extract(epoch FROM coalesce(c.rotated_at, c.created_at)) * 1000)::bigint::text AS version
         FROM device_credentials c
         LEFT JOIN gateways g ON c.owner_type = 'gateway' AND g.id = c.owner_id
         LEFT JOIN meters m ON c.owner_type = 'meter' AND m.id = c.owner_id
        WHERE c.revoked_at IS NULL
          AND (g.protocol = 'mqtt' OR (m.id IS NOT NULL AND m.status <> 'decommissioned'))
          AND ($1::text IS NULL OR (c.owner_type = $1 AND c.owner_id = $2::uuid))`,
      [owner?.type ?? null, owner?.id ?? null],
    )) as CredentialRow[];
    const desired = new Map<string, DesiredClient>();
    for (const row of rows) {
      desired.set(row.device_id, {
        username: row.device_id,
        password: this.box.open(row.secret_sealed),
        textname: `${DEVICE_TEXT_PREFIX} ${row.owner_type} credential ${row.id} v${row.version}`,
        role: `${DEVICE_ROLE_PREFIX}${row.device_id}`,
        ownRole: deviceAcls(row.owner_type, row.device_id),
      });
    }
    return desired;
  }

  /** The transport's account, versioned by a keyed hash of its password (never the password). */
  private transportClient(): DesiredClient | undefined {
    const { mqttUsername: username, mqttPassword: password } = this.config;
    if (!username || !password) return undefined;
    const version = createHmac('sha256', this.config.credentialsKey)
      .update(password)
      .digest('hex')
      .slice(0, 16);
    return {
      username,
      password,
      textname: `${TRANSPORT_TEXT_PREFIX} v${version}`,
      role: TRANSPORT_ROLE,
    };
  }

  private async presentClients(): Promise<Map<string, PresentClient>> {
    const [answer] = await this.send([{ command: 'listClients', verbose: true, count: -1 }]);
    const clients = (answer?.data?.['clients'] ?? []) as PresentClient[];
    return new Map(clients.map((client) => [client.username, client]));
  }

  private async presentClient(username: string): Promise<PresentClient | undefined> {
    const [answer] = await this.send([{ command: 'getClient', username }]);
    return answer?.error ? undefined : (answer?.data?.['client'] as PresentClient | undefined);
  }

  /** Sends in chunks; an error other than "already so" fails the run. */
  private async run(commands: DynsecCommand[]): Promise<void> {
    for (let start = 0; start < commands.length; start += COMMANDS_PER_MESSAGE) {
      const chunk = commands.slice(start, start + COMMANDS_PER_MESSAGE);
      const answers = await this.send(chunk);
      const failed = answers.find(
        (answer, index) => answer.error && !alreadyDone(chunk[index]?.command ?? '', answer.error),
      );
      if (failed) throw new Error(`${failed.command}: ${failed.error}`);
    }
  }

  private send(commands: DynsecCommand[]) {
    if (!this.control) throw new Error('broker provisioning is off');
    return this.control.send(commands);
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

function roleCommands(rolename: string, acls: Acl[]): DynsecCommand[] {
  return [
    { command: 'createRole', rolename },
    ...acls.map((acl) => ({ command: 'addRoleACL', rolename, ...acl })),
  ];
}

/** A device's client and its own role. */
function removal(username: string): DynsecCommand[] {
  return [
    { command: 'deleteClient', username },
    { command: 'deleteRole', rolename: `${DEVICE_ROLE_PREFIX}${username}` },
  ];
}

function isDeviceClient(client: PresentClient): boolean {
  return (
    (client.textname?.startsWith(DEVICE_TEXT_PREFIX) ?? false) ||
    (client.roles ?? []).some((role) => role.rolename.startsWith(DEVICE_ROLE_PREFIX))
  );
}

function isTransportClient(client: PresentClient): boolean {
  return client.textname?.startsWith(TRANSPORT_TEXT_PREFIX) ?? false;
}
