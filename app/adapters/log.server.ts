import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { type Logger, type LevelWithSilent, pino } from "pino";
import { logLevelSchema } from "~/env.server";

// The app's one logger: JSON lines on stdout (pino), level from LOG_LEVEL ("info" when unset). Under vitest it is
// silent unless LOG_LEVEL is set — except error lines, which go to console.error so that the suite's
// fail-on-console-error guard still fails a test that hits an unexpected server error.
//
// What must never reach a log line: the API secret, access and session tokens, invitation tokens, webhook HMACs,
// cookies, shoppers' emails and phone numbers, comments. Three layers keep them out:
// 1. nothing logs request bodies, headers or query strings (requests are logged as method + path);
// 2. fields with a sensitive name are blanked: pino's `redact` for the exact places (top level, request and
//    response headers), and the same names at any depth up to four by the formatter below (pino's wildcard
//    paths cost ~250 µs a line, the walk a few µs);
// 3. strings (messages, error messages and stacks, field values) are scrubbed of emails, JWTs, bearer tokens,
//    Shopify access tokens and `token=`/`signature=`/`hmac=` query values.
// tests/e2e/log-scan.e2e.test.ts runs a realistic flow at level debug and scans the output for all of it.

export interface LogSink {
  write(line: string): unknown;
}

const SENSITIVE_KEYS = [
  "authorization",
  "cookie",
  "set-cookie",
  "x-shopify-hmac-sha256",
  "x-shopify-access-token",
  "accessToken",
  "access_token",
  "token",
  "idToken",
  "id_token",
  "sessionToken",
  "session_token",
  "secret",
  "apiSecret",
  "apiSecretKey",
  "password",
  "signature",
  "hmac",
  "email",
  "phone",
  "comment",
  "note",
  "body",
  "query",
  "search",
  "firstName",
  "lastName",
  "first_name",
  "last_name",
  "address",
];

const SENSITIVE = new Set(SENSITIVE_KEYS.map((key) => key.toLowerCase()));
const CENSOR = "[redacted]";

function keyPath(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `["${key}"]`;
}

/** pino `redact` paths: each sensitive name at the top level and among request/response headers. */
export const REDACT_PATHS = [
  ...SENSITIVE_KEYS.map((key) => keyPath(key).replace(/^\./, "")),
  ...["req", "res", "request", "response"].flatMap((holder) =>
    ["authorization", "cookie", "set-cookie", "x-shopify-hmac-sha256", "x-shopify-access-token"].map(
      (header) => `${holder}.headers${keyPath(header)}`,
    ),
  ),
];

const SCRUBBERS: [RegExp, string][] = [
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, "[email]"],
  [/\beyJ[\w-]*\.[\w-]+\.[\w-]*/g, "[jwt]"],
  [/\bBearer\s+\S+/gi, "Bearer [redacted]"],
  [/\bshp(?:at|ua|ca|ss|pa|rt)_[A-Za-z0-9_]+/g, "[shopify-token]"],
  [/([?&](?:token|nps_token|signature|hmac|id_token|session|code|state)=)[^&\s"']*/gi, "$1[redacted]"],
];

/** Removes emails, tokens and signed query values from free text. */
export function scrubText(text: string): string {
  let result = text;
  for (const [pattern, replacement] of SCRUBBERS) result = result.replace(pattern, replacement);
  return result;
}

function scrubValue(value: unknown, depth: number): unknown {
  if (typeof value === "string") return scrubText(value);
  if (depth >= 4 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, depth + 1));
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value; // errors have their own serializer
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    result[key] = SENSITIVE.has(key.toLowerCase()) ? CENSOR : scrubValue(item, depth + 1);
  }
  return result;
}

/** A URL (absolute or a request path) without its query string and fragment. */
export function pathOf(url: string | undefined): string {
  if (!url) return "";
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** The caller's X-Request-Id when it looks like an id (8–128 of [A-Za-z0-9._:-]), else a fresh UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && REQUEST_ID.test(value) ? value : randomUUID();
}

interface LogState {
  sink: LogSink;
  logger: Logger;
  context: AsyncLocalStorage<Record<string, unknown>>;
}

function defaults(): { level: LevelWithSilent; sink: LogSink } {
  const configured = process.env.LOG_LEVEL?.trim();
  if (configured) {
    // An invalid value is refused at start by parseEnv; here it only falls back.
    const parsed = logLevelSchema.safeParse(configured);
    return { level: parsed.success ? parsed.data : "info", sink: pino.destination({ dest: 1, sync: true }) };
  }
  if (process.env.VITEST) {
    return { level: "error", sink: { write: (line: string) => console.error(line.trimEnd()) } };
  }
  return { level: "info", sink: pino.destination({ dest: 1, sync: true }) };
}

function createState(): LogState {
  const initial = defaults();
  const context = new AsyncLocalStorage<Record<string, unknown>>();
  // One forwarding sink, so that setLogDestination can redirect a logger other modules already hold.
  const forward = { write: (line: string) => created.sink.write(line) };
  const logger = pino(
    {
      level: initial.level,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: CENSOR },
      serializers: {
        err: (error: unknown) => {
          const serialized = pino.stdSerializers.err(error as Error);
          return scrubValue({ ...serialized }, 0);
        },
      },
      formatters: {
        log: (object) => scrubValue(object, 0) as Record<string, unknown>,
        bindings: (bindings) => scrubValue(bindings, 0) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((arg) => (typeof arg === "string" ? scrubText(arg) : arg)) as Parameters<typeof method>,
          );
        },
      },
      // Every line written while a request is handled carries its id (see runWithLogContext).
      mixin: () => context.getStore() ?? {},
    },
    forward,
  );
  const created: LogState = { sink: initial.sink, logger, context };
  return created;
}

// Shared through globalThis: server.ts and the Remix build each bundle their own copy of this module.
const shared = globalThis as unknown as { npsSyncLog?: LogState };
function state(): LogState {
  shared.npsSyncLog ??= createState();
  return shared.npsSyncLog;
}

/** The app's logger. */
export const logger: Logger = state().logger;

/**
 * Redirects every log line into `sink` (tests, benchmarks) at `level` (default: unchanged); `null` restores the
 * configured default. Call it before startServer: the request logger is a child made at start.
 */
export function setLogDestination(sink: LogSink | null, options: { level?: LevelWithSilent } = {}): void {
  const current = state();
  const initial = defaults();
  current.sink = sink ?? initial.sink;
  current.logger.level = options.level ?? (sink ? current.logger.level : initial.level);
}

/** Runs `work` with `fields` (the request id) added to every log line written within it. */
export function runWithLogContext<T>(fields: Record<string, unknown>, work: () => T): T {
  return state().context.run(fields, work);
}

const SHOPIFY_SEVERITIES = ["error", "warn", "info", "debug"] as const;

/**
 * For shopifyApp({ logger: { level, log: shopifyLogFunction } }): Shopify's libraries then write JSON lines through
 * this logger (scrubbed like every other line) instead of plain text on the console — which, at LOG_LEVEL=debug,
 * includes a rejected session token in full. Severity: Shopify's LogSeverity (0 error … 3 debug).
 */
export function shopifyLogFunction(severity: number, message: string): void {
  // A forged or broken request from outside is the caller's fault, answered with a 4xx: a warning, not an error.
  const refusal = /Received an invalid (flow|webhook) request/.test(message);
  const level = refusal ? "warn" : (SHOPIFY_SEVERITIES[severity] ?? "info");
  logger[level]({ source: "shopify" }, message);
}
