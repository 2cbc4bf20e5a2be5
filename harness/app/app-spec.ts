/**
 * The user's own app (issue 15): a command line drainlab runs as a pod on the `local` platform, the port it listens
 * on, its readiness path, and the request the load sends. Read from `--app-*` flags and/or an experiment file's `app:`
 * section; every problem is reported at once, one line each, naming what to change.
 */

/** The request the load sends to the app. */
export interface AppRequest {
  /** HTTP method: the load generator speaks POST and GET (see LoadProfile.method). */
  method: 'POST' | 'GET';
  /** Path with query, starting with `/`. */
  path: string;
  /** Request body (sent with `Content-Type: application/json`); none when absent. */
  body?: string;
}

/** One app, validated. */
export interface AppSpec {
  /** argv; every `{port}` is replaced by the pod's port. */
  command: string[];
  /** Path the readiness probe (and the shutdown probe) asks; 2xx means ready. */
  readinessPath: string;
  /** What the load sends. */
  request: AppRequest;
  /** Extra environment of every pod (PORT is always set by drainlab). */
  env: Record<string, string>;
  /** Longest the shutdown probe waits after SIGTERM before it sends SIGKILL, seconds. */
  shutdownBoundSeconds: number;
  /** Longest the shutdown probe waits for the first 2xx of the readiness path, seconds. */
  readyTimeoutSeconds: number;
}

/** The placeholder in the command that becomes the pod's port. */
export const PORT_PLACEHOLDER = '{port}';
/** Default bound for the measured shutdown: longer than Kubernetes' default grace period. */
export const DEFAULT_SHUTDOWN_BOUND_SECONDS = 35;
/** Default bound for the app to become ready. */
export const DEFAULT_READY_TIMEOUT_SECONDS = 20;
const METHODS = ['POST', 'GET'] as const;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Set by drainlab for every pod; an app's own value would be overwritten, so it is refused. */
const RESERVED_ENV = ['PORT', 'POD_NAME', 'HOST', 'TIME_SCALE'];

/** The app as given, before validation (strings from flags, values from a file). */
export interface RawApp {
  command?: unknown;
  readinessPath?: unknown;
  request?: unknown;
  body?: unknown;
  env?: unknown;
  shutdownBoundSeconds?: unknown;
  readyTimeoutSeconds?: unknown;
}

/** The fields of a file's `app:` section (the schema test holds experiment.schema.json to these). */
export const APP_FIELDS = [
  'command',
  'readinessPath',
  'request',
  'env',
  'shutdownBoundSeconds',
  'readyTimeoutSeconds',
] as const;
/** The fields of `app.request`. */
export const APP_REQUEST_FIELDS = ['method', 'path', 'body'] as const;

/**
 * Splits a command line into words as a POSIX shell would for plain words: blanks separate, single quotes keep
 * everything, double quotes keep everything but `\"` and `\\`, a backslash outside quotes escapes the next
 * character. No expansion of any kind. Returns a problem for an unterminated quote.
 */
export function splitShellWords(line: string): { words: string[]; problem?: string } {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) word += line[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) return { words, problem: `has an unterminated ${quote === "'" ? 'single' : 'double'} quote` };
  if (inWord) words.push(word);
  return { words };
}

const show = (v: unknown) => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v));
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `"POST /orders"` → method and path. A lone path means GET, so `--app-request /` asks the root.
 */
function requestFromLine(line: string, at: string, problems: string[]): Partial<AppRequest> {
  const parts = line.trim().split(/\s+/);
  const [first, second, ...rest] = parts;
  if (first === undefined || first === '' || rest.length > 0) {
    problems.push(`${at} must be "METHOD /path" such as "POST /orders", got ${show(line)}`);
    return {};
  }
  return second === undefined ? { method: 'GET', path: first } : { method: first.toUpperCase() as 'GET', path: second };
}

/**
 * The request the load sends, from `"METHOD /path"` or `{ method, path, body? }` and a body given apart (which wins),
 * GET / when none is given; problems are added, named by `requestName` and `bodyName`.
 */
export function validateRequest(
  rawRequest: unknown,
  rawBody: unknown,
  requestName: string,
  bodyName: string,
  problems: string[],
): Partial<AppRequest> {
  let request: Partial<AppRequest> = { method: 'GET', path: '/' };
  if (typeof rawRequest === 'string') {
    request = requestFromLine(rawRequest, requestName, problems);
  } else if (isRecord(rawRequest)) {
    for (const key of Object.keys(rawRequest)) {
      if (!(APP_REQUEST_FIELDS as readonly string[]).includes(key)) {
        problems.push(`app.request.${key}: unknown field; expected one of ${APP_REQUEST_FIELDS.join(', ')}`);
      }
    }
    const method = rawRequest['method'] ?? 'GET';
    request = {
      method: (typeof method === 'string' ? method.toUpperCase() : method) as 'GET',
      path: rawRequest['path'] as string,
    };
    if (rawRequest['body'] !== undefined) request.body = rawRequest['body'] as string;
  } else if (rawRequest !== undefined) {
    problems.push(`${requestName} must be { method, path, body? }, got ${show(rawRequest)}`);
  }
  if (rawBody !== undefined) request.body = rawBody as string;
  if (request.method !== undefined && !(METHODS as readonly string[]).includes(request.method)) {
    problems.push(
      `${requestName}: method ${show(request.method)} is not supported; the load sends POST or GET (use one of them)`,
    );
  }
  if (request.path !== undefined && (typeof request.path !== 'string' || !request.path.startsWith('/'))) {
    problems.push(`${requestName}: path must start with /, got ${show(request.path)}`);
  }
  if (request.body !== undefined && typeof request.body !== 'string') {
    problems.push(`${bodyName} must be a string (the request body), got ${show(request.body)}`);
  }
  if (request.body !== undefined && request.method === 'GET') {
    problems.push(`${bodyName} is given but the request is a GET: send it with POST, or leave the body out`);
  }

  return request;
}

/**
 * Validates an app from flags (`from: 'flags'`, names like `--app-command`) or from a file's `app:` section
 * (`from: 'file'`, paths like `app.command`). Every problem is returned, one line each.
 */
export function validateApp(raw: RawApp, from: 'flags' | 'file'): { spec?: AppSpec; problems: string[] } {
  const problems: string[] = [];
  const name = (field: (typeof APP_FIELDS)[number] | 'body') =>
    from === 'flags'
      ? {
          command: '--app-command',
          readinessPath: '--app-ready',
          request: '--app-request',
          body: '--app-body',
          env: '--app-env',
          shutdownBoundSeconds: '--app-shutdown-bound',
          readyTimeoutSeconds: '--app-ready-timeout',
        }[field]
      : field === 'body'
        ? 'app.request.body'
        : `app.${field}`;

  let command: string[] = [];
  if (raw.command === undefined) {
    problems.push(`${name('command')} is required: the command line that starts your app, e.g. "python3 app.py"`);
  } else if (typeof raw.command === 'string') {
    const split = splitShellWords(raw.command);
    if (split.problem) problems.push(`${name('command')} ${split.problem}: ${show(raw.command)}`);
    command = split.words;
    if (!split.problem && command.length === 0) problems.push(`${name('command')} is empty: give the command line`);
  } else if (Array.isArray(raw.command) && raw.command.length > 0 && raw.command.every((w) => typeof w === 'string')) {
    command = raw.command as string[];
  } else {
    problems.push(`${name('command')} must be a command line or a list of words, got ${show(raw.command)}`);
  }

  const readinessPath = raw.readinessPath ?? '/';
  if (typeof readinessPath !== 'string' || !readinessPath.startsWith('/')) {
    problems.push(
      `${name('readinessPath')} must be a path starting with /, such as /healthz, got ${show(readinessPath)}`,
    );
  }

  const request = validateRequest(raw.request, raw.body, name('request'), name('body'), problems);

  const env: Record<string, string> = {};
  const addEnv = (key: string, value: unknown, at: string) => {
    if (!ENV_NAME.test(key)) problems.push(`${at}: ${show(key)} is not an environment variable name (A-Z, 0-9, _)`);
    else if (RESERVED_ENV.includes(key)) {
      problems.push(`${at}: ${key} is set by drainlab for every pod (PORT is the pod's port); leave it out`);
    } else if (typeof value !== 'string')
      problems.push(`${at}: the value of ${key} must be a string, got ${show(value)}`);
    else if (key in env) problems.push(`${at}: ${key} is given more than once`);
    else env[key] = value;
  };
  if (Array.isArray(raw.env) && from === 'flags') {
    for (const item of raw.env as string[]) {
      const eq = item.indexOf('=');
      if (eq <= 0) problems.push(`--app-env must be NAME=VALUE, got ${show(item)}`);
      else addEnv(item.slice(0, eq), item.slice(eq + 1), '--app-env');
    }
  } else if (isRecord(raw.env)) {
    for (const [key, value] of Object.entries(raw.env)) addEnv(key, value, `app.env.${key}`);
  } else if (raw.env !== undefined) {
    problems.push(`${name('env')} must be a mapping of NAME: value, got ${show(raw.env)}`);
  }

  const seconds = (field: 'shutdownBoundSeconds' | 'readyTimeoutSeconds', fallback: number): number => {
    const value = raw[field];
    if (value === undefined) return fallback;
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 1 || n > 600) {
      problems.push(`${name(field)} must be a number of seconds from 1 to 600, got ${show(value)}`);
      return fallback;
    }
    return n;
  };
  const bound = seconds('shutdownBoundSeconds', DEFAULT_SHUTDOWN_BOUND_SECONDS);
  const readyTimeout = seconds('readyTimeoutSeconds', DEFAULT_READY_TIMEOUT_SECONDS);
  if (problems.length > 0) return { problems };
  return {
    spec: {
      command,
      readinessPath: readinessPath as string,
      request: request as AppRequest,
      env,
      shutdownBoundSeconds: bound,
      readyTimeoutSeconds: readyTimeout,
    },
    problems,
  };
}

/** The command with every `{port}` replaced. */
export function commandForPort(command: readonly string[], port: number): string[] {
  return command.map((word) => word.replaceAll(PORT_PLACEHOLDER, String(port)));
}

/** The command line as a user would type it (words with blanks or quotes are single-quoted). */
export function showCommand(command: readonly string[]): string {
  return command.map((w) => (/^[\w@%+=:,./{}-]+$/.test(w) ? w : `'${w.replaceAll("'", `'\\''`)}'`)).join(' ');
}
