import { randomUUID } from 'node:crypto';
import { connect, type MqttClient } from 'mqtt';

const CONTROL_TOPIC = '$CONTROL/dynamic-security/v1';
const RESPONSE_TOPIC = `${CONTROL_TOPIC}/response`;

/** One command of Mosquitto's dynamic-security plugin (https://mosquitto.org/documentation/dynamic-security/). */
export interface DynsecCommand {
  command: string;
  [field: string]: unknown;
}

export interface DynsecResponse {
  command: string;
  error?: string;
  data?: Record<string, unknown>;
  correlationData?: string;
}

export class BrokerUnavailable extends Error {
  constructor(reason: string) {
    super(`broker control unavailable: ${reason}`);
    this.name = 'BrokerUnavailable';
  }
}

interface Pending {
  resolve(response: DynsecResponse): void;
  timer: NodeJS.Timeout;
}

/**
 * Talks to the broker's `$CONTROL/dynamic-security/v1` topic with the admin account: commands go
 * out in one message, each answer is matched to its command by correlation data. Reconnects by
 * itself; `onConnect` runs after every (re)connection with the response topic subscribed.
 */
export class DynamicSecurityClient {
  private client?: MqttClient;
  private ready = false;
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly url: string,
    private readonly account: { username: string; password: string },
    private readonly timeoutMs: number,
    private readonly onConnect: () => void,
    private readonly onError: (message: string) => void,
  ) {}

  start(): void {
    this.client = connect(this.url, {
      protocolVersion: 5,
      clientId: `gridwatch-api-dynsec-${randomUUID()}`,
      username: this.account.username,
      password: this.account.password,
      clean: true,
      reconnectPeriod: 5000,
      // A refused CONNACK (the admin account not there yet) is retried too.
      reconnectOnConnackError: true,
      connectTimeout: 10_000,
      resubscribe: false,
    });
    this.client.on('connect', () => {
      this.client?.subscribe(RESPONSE_TOPIC, { qos: 1 }, (error) => {
        if (error) return this.onError(`subscribing to ${RESPONSE_TOPIC}: ${error.message}`);
        this.ready = true;
        this.onConnect();
      });
    });
    this.client.on('close', () => {
      this.ready = false;
    });
    this.client.on('error', (error) => this.onError(error.message));
    this.client.on('message', (topic, payload) => {
      if (topic === RESPONSE_TOPIC) this.settle(payload);
    });
  }

  async stop(): Promise<void> {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.resolve({ command: 'unknown', error: 'stopped', correlationData: id });
    }
    this.pending.clear();
    await this.client?.endAsync(true);
  }

  /** Sends the commands in one message; answers in the same order. */
  async send(commands: DynsecCommand[]): Promise<DynsecResponse[]> {
    if (commands.length === 0) return [];
    const client = this.client;
    if (!client || !this.ready) throw new BrokerUnavailable('not connected');
    const tagged = commands.map((command) => ({ ...command, correlationData: randomUUID() }));
    const answers = tagged.map(
      ({ correlationData }) =>
        new Promise<DynsecResponse>((resolve) => {
          const timer = setTimeout(() => {
            this.pending.delete(correlationData);
            resolve({ command: 'unknown', error: 'timeout', correlationData });
          }, this.timeoutMs);
          this.pending.set(correlationData, { resolve, timer });
        }),
    );
    await client.publishAsync(CONTROL_TOPIC, JSON.stringify({ commands: tagged }), { qos: 1 });
    const responses = await Promise.all(answers);
    if (responses.some((response) => response.error === 'timeout')) {
      throw new BrokerUnavailable(`no answer within ${this.timeoutMs} ms`);
    }
    return responses;
  }

  private settle(payload: Buffer): void {
    let responses: DynsecResponse[];
    try {
      responses =
        (JSON.parse(payload.toString('utf8')) as { responses?: DynsecResponse[] }).responses ?? [];
    } catch {
      return;
    }
    for (const response of responses) {
      const pending = response.correlationData && this.pending.get(response.correlationData);
      if (!pending) continue;
      clearTimeout(pending.timer);
      this.pending.delete(response.correlationData as string);
      pending.resolve(response);
    }
  }
}
