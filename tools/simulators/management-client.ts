/** A failed management API call, with the status and the API's error body. */
export class ManagementApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`${method} ${path} answered ${status}: ${JSON.stringify(body)}`);
  }
}

/** The camelCase management API (`/api/v1/...`) as a logged-in user. */
export class ManagementClient {
  private constructor(
    readonly api: string,
    private readonly accessToken: string,
  ) {}

  /** Logs in with `POST /api/v1/auth/login` and keeps the access token. */
  static async login(api: string, email: string, password: string): Promise<ManagementClient> {
    const tokens = await send<{ accessToken: string }>(api, 'POST', '/api/v1/auth/login', null, {
      email,
      password,
    });
    return new ManagementClient(api, tokens.accessToken);
  }

  get<T>(path: string): Promise<T> {
    return send<T>(this.api, 'GET', path, this.accessToken);
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return send<T>(this.api, 'POST', path, this.accessToken, body);
  }
}

async function send<T>(
  api: string,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (token) headers['Authorization'] = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(new URL(path, api), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  const parsed: unknown = text ? safeJson(text) : null;
  if (!response.ok) throw new ManagementApiError(method, path, response.status, parsed);
  return parsed as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The demo owner's password: `--password`, else DEMO_PASSWORD (npm start generates it). */
export function demoPassword(): string {
  const password = process.env['DEMO_PASSWORD'];
  if (!password) throw new Error('pass --password or set DEMO_PASSWORD (.gridwatch/secrets.env)');
  return password;
}
