import { execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { type AddressInfo, createServer as createNetServer } from "node:net";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import autocannon from "autocannon";
import pg from "pg";
import { type RunningEmulator, startEmulator } from "../tests/emulator";
import { webhookHeaders } from "../tests/emulator/webhooks";
import { orderPayload } from "../tests/factories/order-payload";
import { installTestShop, type TestShop, testShop } from "../tests/factories/shop";

// Webhook ingest: signed orders/create deliveries, each with its own webhook id and order, against one app
// instance (the production server over the built app, in a child process, HTTP only: SYNC_WORKER=off, logging at
// its default level) on SQLite and on PostgreSQL — and, in the same run, against a bare node:http server in a child
// process that only verifies the HMAC: the ceiling of any Node webhook receiver on this machine. Each database with
// both WEBHOOK_PROCESSING modes: inline (the order use case in the request) and queued (delivery + job stored).
// `npx tsx bench/webhook-ingest.ts` (BENCH_SECONDS=10 per target by default; uses build/ if present, else builds).

export interface BenchRow {
  benchmark: string;
  measured: string;
  goal: string;
  result: string;
}

export const BENCH_API_KEY = "bench-api-key";
export const BENCH_API_SECRET = "bench-api-secret";
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const GOAL_SHARE_OF_BARE = 0.5;
const GOAL_P99_MS = 1000; // Shopify gives up after 5 s
const PROCESSING = ["inline", "queued"] as const;

export function ensureBuild(): void {
  if (existsSync(path.join("build", "server", "index.js"))) return;
  console.error("bench: no build/ — running remix vite:build");
  execFileSync(path.join("node_modules", ".bin", "remix"), ["vite:build"], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, NODE_ENV: "production" },
  });
}

/** The app's settings for benches run in this process, where the environment does not give them. */
export function applyBenchAppEnv(): void {
  Object.assign(process.env, {
    SHOPIFY_API_KEY: process.env.SHOPIFY_API_KEY ?? BENCH_API_KEY,
    SHOPIFY_API_SECRET: process.env.SHOPIFY_API_SECRET ?? BENCH_API_SECRET,
    SHOPIFY_APP_URL: process.env.SHOPIFY_APP_URL ?? "http://127.0.0.1:3999",
  });
}

export interface BenchDatabase {
  kind: "sqlite" | "postgresql";
  url: string;
  /** The PostgreSQL database's name (null for SQLite). */
  name: string | null;
  drop(): Promise<void>;
}

/** A fresh, migrated database; null for PostgreSQL when TEST_DATABASE_URL does not answer. */
export async function freshBenchDatabase(kind: "sqlite" | "postgresql"): Promise<BenchDatabase | null> {
  const { migrateDatabase } = await import("../app/adapters/db/migrations.server");
  if (kind === "sqlite") {
    const directory = mkdtempSync(path.join(tmpdir(), "nps-bench-"));
    const url = `file:${path.join(directory, "bench.db")}`;
    await migrateDatabase(url);
    return { kind, url, name: null, drop: async () => rmSync(directory, { recursive: true, force: true }) };
  }
  const base = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
  const name = `nps_bench_${process.pid}_${randomUUID().slice(0, 8)}`;
  const admin = new pg.Client({ connectionString: base, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
  } catch (error) {
    console.error(`bench: PostgreSQL at ${base} is not reachable (${(error as Error).message}): SKIPPED`);
    return null;
  } finally {
    await admin.end().catch(() => undefined);
  }
  const parsed = new URL(base);
  parsed.pathname = `/${name}`;
  const url = parsed.toString();
  await migrateDatabase(url);
  return {
    kind,
    url,
    name,
    async drop() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts a server in a child process on `port` and waits until `readyPath` answers 200. */
async function startChild(args: string[], env: NodeJS.ProcessEnv, port: number, readyPath: string) {
  const child = spawn(process.execPath, args, { cwd: process.cwd(), env, stdio: ["ignore", "pipe", "pipe"] });
  const stderr: string[] = [];
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      exitCode = code;
      resolve(code);
    }),
  );
  child.stdout?.resume(); // drained: a full pipe would stall the server's log writes
  child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exitCode !== undefined) throw new Error(`child exited with ${exitCode}:\n${stderr.join("")}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`child did not answer ${readyPath}:\n${stderr.join("")}`);
    }
    const ready = await fetch(`${url}${readyPath}`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    child,
    async stop(): Promise<number | null> {
      child.kill("SIGTERM");
      return exited;
    },
  };
}

export type ChildServer = Awaited<ReturnType<typeof startChild>>;

/** One production app instance (server.ts over build/) in its own process. */
export async function startAppInstance(
  databaseUrl: string,
  adminOrigin: string,
  extra: Record<string, string> = {},
): Promise<ChildServer> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith("VITEST")) delete env[key];
  delete env.LOG_LEVEL; // the production default (info: one JSON line per request)
  const port = await freePort();
  return startChild(
    // BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the instances.
    [...(process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? []), "--import", "tsx", "server.ts"],
    {
      ...env,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      SHOPIFY_API_KEY: BENCH_API_KEY,
      SHOPIFY_API_SECRET: BENCH_API_SECRET,
      SHOPIFY_APP_URL: "http://127.0.0.1:3999",
      SHOPIFY_ADMIN_API_ORIGIN: adminOrigin,
      SYNC_WORKER: "off",
      NPS_DEMO: "0",
      ...extra,
    },
    port,
    "/healthz",
  );
}

const BARE_SERVER = `
const { createServer } = require("node:http");
const { createHmac, timingSafeEqual } = require("node:crypto");
const secret = process.env.BENCH_API_SECRET;
const server = createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    const body = Buffer.concat(chunks);
    const expected = createHmac("sha256", secret).update(body).digest();
    const given = Buffer.from(String(request.headers["x-shopify-hmac-sha256"] || ""), "base64");
    const ok = given.length === expected.length && timingSafeEqual(given, expected);
    response.writeHead(ok || request.method === "GET" ? 200 : 401, { "Content-Type": "application/json" });
    response.end(ok ? '{"ok":true}' : '{"ok":false}');
  });
});
server.listen(Number(process.env.PORT), "127.0.0.1");
process.once("SIGTERM", () => server.close(() => process.exit(0)));
`;

async function startBareServer() {
  const port = await freePort();
  return startChild(["-e", BARE_SERVER], { ...process.env, BENCH_API_SECRET, PORT: String(port) }, port, "/");
}

/** CPU time (user + system, ms) a process has used so far; null where /proc is absent. */
export function cpuMs(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in 100 Hz clock ticks
  } catch {
    return null;
  }
}

/** CPU time (ms) per PostgreSQL backend serving `database` (the process title names it); empty without /proc. */
export function postgresBackendsCpu(database: string): Map<number, number> {
  const result = new Map<number, number>();
  let pids: string[] = [];
  try {
    pids = readdirSync("/proc").filter((entry) => /^\d+$/.test(entry));
  } catch {
    return result;
  }
  for (const pid of pids) {
    try {
      const title = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (!title.startsWith("postgres:") || !title.includes(` ${database} `)) continue;
      const cpu = cpuMs(Number(pid));
      if (cpu !== null) result.set(Number(pid), cpu);
    } catch {
      // the process ended meanwhile
    }
  }
  return result;
}

export function postgresCpuSince(database: string, before: Map<number, number>): number {
  let total = 0;
  for (const [pid, cpu] of postgresBackendsCpu(database)) total += cpu - (before.get(pid) ?? 0);
  return total;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  count: number;
  non2xx: number;
  errors: number;
  byLabel: Record<string, number[]>;
}

/** Runs autocannon and keeps every response time (ms), labelled by the request that got it. */
export async function load(
  options: autocannon.Options,
  labelOf: () => string = () => "all",
): Promise<LoadResult> {
  const times: number[] = [];
  const byLabel: Record<string, number[]> = {};
  const instance = autocannon(options) as unknown as autocannon.Instance & Promise<autocannon.Result>;
  instance.on("response", (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    times.push(responseTime);
    const label = labelOf();
    const list = byLabel[label] ?? [];
    list.push(responseTime);
    byLabel[label] = list;
  });
  const result = await instance;
  times.sort((a, b) => a - b);
  for (const list of Object.values(byLabel)) list.sort((a, b) => a - b);
  return {
    requestsPerSecond: times.length / result.duration,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    count: times.length,
    non2xx: result.non2xx,
    errors: result.errors,
    byLabel,
  };
}

let nextOrder = 1_000_000;

/** A signed orders/create delivery of order `id` of customer `customerId`, as Shopify sends it. */
export function signedOrderCreate(
  shop: TestShop,
  order: { id: number; customerId: number },
  delivery: { webhookId?: string; eventId?: string } = {},
): { headers: Record<string, string>; body: string } {
  const payload = orderPayload(order);
  const body = JSON.stringify(payload);
  const headers = webhookHeaders(
    { topic: "orders/create", shop: shop.shopDomain, payload, apiSecret: BENCH_API_SECRET, ...delivery },
    body,
  );
  return { headers, body };
}

/** A signed orders/create delivery for a new order and customer, as autocannon's request. */
function signedOrder(shop: TestShop): autocannon.Request {
  nextOrder += 1;
  const { headers, body } = signedOrderCreate(shop, { id: nextOrder, customerId: 5_000_000 + nextOrder });
  return { method: "POST", path: "/webhooks/orders/create", headers, body };
}

/** Load on `server` with a new signed order per request; also the server process's CPU time per request. */
async function ingest(
  server: ChildServer,
  shop: TestShop,
  seconds: number,
  postgresDatabase: string | null = null,
) {
  const before = cpuMs(server.child.pid);
  const postgresBefore = postgresDatabase ? postgresBackendsCpu(postgresDatabase) : null;
  const result = await load({
    url: server.url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [{ setupRequest: () => signedOrder(shop) }],
  });
  const after = cpuMs(server.child.pid);
  const cpuPerRequest =
    before === null || after === null ? null : (after - before) / Math.max(1, result.count);
  const postgresCpuPerRequest =
    postgresDatabase && postgresBefore && postgresBefore.size > 0
      ? postgresCpuSince(postgresDatabase, postgresBefore) / Math.max(1, result.count)
      : null;
  return { ...result, cpuPerRequest, postgresCpuPerRequest };
}

type IngestResult = Awaited<ReturnType<typeof ingest>>;

function describeLoad(result: IngestResult): string {
  const cpu =
    result.cpuPerRequest === null
      ? ""
      : `; server CPU ${result.cpuPerRequest.toFixed(2)} ms/request (≈ ${(1000 / result.cpuPerRequest).toFixed(0)} req/s per core)`;
  const postgres =
    result.postgresCpuPerRequest === null
      ? ""
      : `; PostgreSQL backends CPU ${result.postgresCpuPerRequest.toFixed(2)} ms/request`;
  return `${result.requestsPerSecond.toFixed(0)} req/s (1-min load ${loadavg()[0]?.toFixed(1)} on ${cpus().length} CPUs), p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms (${result.count} requests, ${result.non2xx} non-2xx, ${result.errors} errors)${cpu}${postgres}`;
}

export async function withEmulatorShop<T>(
  databaseUrl: string,
  work: (emulator: RunningEmulator, shop: TestShop) => Promise<T>,
  plan: TestShop["plan"] = "plus",
): Promise<T> {
  const emulator = await startEmulator();
  const { createDatabase } = await import("../app/adapters/db/client.server");
  const database = createDatabase(databaseUrl);
  const shop = testShop({ shopDomain: "nps-bench.myshopify.com", plan });
  try {
    await installTestShop(database, emulator.url, shop);
    return await work(emulator, shop);
  } finally {
    await database.$disconnect();
    await emulator.close();
  }
}

export async function run(): Promise<{ rows: BenchRow[] }> {
  ensureBuild();
  applyBenchAppEnv();
  const rows: BenchRow[] = [];
  const placeholderShop = testShop({ shopDomain: "nps-bench.myshopify.com" });

  const bare = await startBareServer();
  let bareResult: IngestResult;
  try {
    await ingest(bare, placeholderShop, 2); // warm-up
    bareResult = await ingest(bare, placeholderShop, SECONDS);
  } finally {
    await bare.stop();
  }
  rows.push({
    benchmark: `webhook ingest: bare node:http that only verifies the HMAC (${CONNECTIONS} connections, ${SECONDS} s)`,
    measured: describeLoad(bareResult),
    goal: "reference",
    result: "—",
  });

  for (const kind of ["sqlite", "postgresql"] as const) {
    for (const processing of PROCESSING) {
      const database = await freshBenchDatabase(kind);
      const label = `webhook ingest: signed orders/create, 1 app instance on ${kind === "sqlite" ? "SQLite" : "PostgreSQL"}, WEBHOOK_PROCESSING=${processing}${processing === "queued" ? " (answered once stored; the worker applies the orders apart)" : ""} (${CONNECTIONS} connections, ${SECONDS} s)`;
      const goal = `≥ ${GOAL_SHARE_OF_BARE}× bare, p99 ≤ ${GOAL_P99_MS} ms, 0 non-2xx`;
      if (!database) {
        rows.push({ benchmark: label, measured: "PostgreSQL unreachable", goal, result: "SKIPPED" });
        continue;
      }
      try {
        await withEmulatorShop(database.url, async (emulator, shop) => {
          const app = await startAppInstance(database.url, emulator.url, { WEBHOOK_PROCESSING: processing });
          try {
            await ingest(app, shop, 2); // warm-up: JIT, connection pool, SQLite page cache
            const result = await ingest(app, shop, SECONDS, database.name);
            const share = result.requestsPerSecond / bareResult.requestsPerSecond;
            const met = share >= GOAL_SHARE_OF_BARE && result.p99 <= GOAL_P99_MS && result.non2xx === 0;
            rows.push({
              benchmark: label,
              measured: `${describeLoad(result)}; ${share.toFixed(3)}× bare`,
              goal,
              result: met ? "met" : "MISSED",
            });
          } finally {
            await app.stop();
          }
        });
      } finally {
        await database.drop();
      }
    }
  }
  return { rows };
}

export function printRows(rows: BenchRow[]): void {
  console.log("| benchmark | measured | goal | result |\n|---|---|---|---|");
  for (const row of rows) console.log(`| ${row.benchmark} | ${row.measured} | ${row.goal} | ${row.result} |`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { rows } = await run();
  printRows(rows);
}
