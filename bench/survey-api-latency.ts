import { cpus, loadavg } from "node:os";
import { pathToFileURL } from "node:url";
import { makeCheckoutSessionToken } from "../tests/emulator/session-tokens";
import type { TestShop } from "../tests/factories/shop";
import {
  BENCH_API_KEY,
  BENCH_API_SECRET,
  type BenchRow,
  type ChildServer,
  cpuMs,
  ensureBuild,
  freshBenchDatabase,
  load,
  percentile,
  postgresBackendsCpu,
  postgresCpuSince,
  printRows,
  signedOrderCreate,
  startAppInstance,
  applyBenchAppEnv,
  withEmulatorShop,
} from "./webhook-ingest";

// The checkout extension's two calls — GET /api/checkout/survey, then POST /api/checkout/responses — against one
// app instance (production server over the built app, child process, SYNC_WORKER=off) on SQLite and PostgreSQL,
// paced by autocannon's overallRate: at 500 requests/s over 50 connections (the goal: p95 ≤ 10 ms) and, for
// reference, at 20/s over one connection — one request at a time, so its latency is the service time alone.
// autocannon paces per second: each connection sends its share as fast as it can at the start of every second,
// so at 500/s the instance meets bursts of up to 50 requests at once.
// Each shopper is a new order (delivered to the instance as a signed orders/create first), with its own checkout
// session token and client address (the per-client rate limit is per shopper).
// `npx tsx bench/survey-api-latency.ts` (BENCH_SECONDS=10 per rate by default).

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const GOAL_RATE = 500;
const REFERENCE_RATE = 20;
const GOAL_P95_MS = 10;
const CONNECTIONS = { [GOAL_RATE]: 50, [REFERENCE_RATE]: 1 } as Record<number, number>;
const BROWSER =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

interface Shopper {
  orderGid: string;
  token: string;
  address: string;
}

/**
 * One order per shopper, delivered to the instance as signed orders/create webhooks (the instance knows its
 * database's dialect; this process reads DATABASE_URL once and serves both databases).
 */
async function prepareShoppers(app: ChildServer, shop: TestShop, count: number): Promise<Shopper[]> {
  const ids = Array.from({ length: count }, (_, index) => 2_000_001 + index);
  for (let start = 0; start < ids.length; start += 8) {
    await Promise.all(
      ids.slice(start, start + 8).map(async (id) => {
        const { headers, body } = signedOrderCreate(shop, { id, customerId: id + 5_000_000 });
        const response = await fetch(`${app.url}/webhooks/orders/create`, { method: "POST", headers, body });
        if (response.status !== 200)
          throw new Error(`order ${id}: ${response.status} ${await response.text()}`);
      }),
    );
  }
  const shoppers: Shopper[] = [];
  for (const [index, id] of ids.entries()) {
    shoppers.push({
      orderGid: `gid://shopify/Order/${id}`,
      token: await makeCheckoutSessionToken({
        shop: shop.shopDomain,
        apiKey: BENCH_API_KEY,
        apiSecret: BENCH_API_SECRET,
        sub: `gid://shopify/Customer/${id + 5_000_000}`,
        expiresInSeconds: 3600,
      }),
      address: `10.${Math.floor(index / 65_536) % 256}.${Math.floor(index / 256) % 256}.${index % 256}`,
    });
  }
  return shoppers;
}

/** Fetch + answer pairs at `rate` requests/s; each pair takes the next shopper. */
async function pace(
  app: ChildServer,
  shoppers: Shopper[],
  rate: number,
  seconds: number,
  firstShopper: number,
  postgresDatabase: string | null,
) {
  let next = firstShopper;
  let label = "";
  const statuses: Record<string, Record<number, number>> = { survey: {}, answer: {} };
  const headersOf = (shopper: Shopper) => ({
    Authorization: `Bearer ${shopper.token}`,
    "User-Agent": BROWSER,
    "X-Forwarded-For": shopper.address,
  });
  const count = (kind: string) => (status: number) => {
    label = kind;
    const table = statuses[kind]!;
    table[status] = (table[status] ?? 0) + 1;
  };
  const before = cpuMs(app.child.pid);
  const postgresBefore = postgresDatabase ? postgresBackendsCpu(postgresDatabase) : null;
  const result = await load(
    {
      url: app.url,
      connections: CONNECTIONS[rate] ?? 10,
      overallRate: rate,
      duration: seconds,
      requests: [
        {
          setupRequest: (request, context) => {
            const shopper = shoppers[next % shoppers.length]!;
            next += 1;
            (context as { shopper?: Shopper }).shopper = shopper;
            return {
              ...request,
              method: "GET",
              path: `/api/checkout/survey?orderId=${encodeURIComponent(shopper.orderGid)}&locale=en`,
              headers: headersOf(shopper),
            };
          },
          onResponse: count("survey"),
        },
        {
          setupRequest: (request, context) => {
            const shopper = (context as { shopper: Shopper }).shopper;
            return {
              ...request,
              method: "POST",
              path: "/api/checkout/responses",
              headers: { ...headersOf(shopper), "Content-Type": "application/json" },
              body: JSON.stringify({ orderId: shopper.orderGid, score: 9, comment: "Quick delivery" }),
            };
          },
          onResponse: count("answer"),
        },
      ],
    },
    () => label,
  );
  const after = cpuMs(app.child.pid);
  return {
    ...result,
    statuses,
    usedShoppers: next - firstShopper,
    cpuPerRequest: before === null || after === null ? null : (after - before) / Math.max(1, result.count),
    postgresCpuPerRequest:
      postgresDatabase && postgresBefore && postgresBefore.size > 0
        ? postgresCpuSince(postgresDatabase, postgresBefore) / Math.max(1, result.count)
        : null,
  };
}

function describeRun(result: Awaited<ReturnType<typeof pace>>): string {
  const at = (label: string, p: number) => percentile(result.byLabel[label] ?? [], p).toFixed(1);
  const cpu =
    result.cpuPerRequest === null ? "" : `; server CPU ${result.cpuPerRequest.toFixed(2)} ms/request`;
  const postgres =
    result.postgresCpuPerRequest === null
      ? ""
      : `; PostgreSQL backends CPU ${result.postgresCpuPerRequest.toFixed(2)} ms/request`;
  const codes = Object.entries(result.statuses)
    .map(
      ([kind, table]) =>
        `${kind} ${Object.entries(table)
          .map(([code, n]) => `${n}×${code}`)
          .join(" ")}`,
    )
    .join(", ");
  return `achieved ${result.requestsPerSecond.toFixed(0)} req/s (1-min load ${loadavg()[0]?.toFixed(1)} on ${cpus().length} CPUs); p95 ${result.p95.toFixed(1)} ms (fetch ${at("survey", 95)}, answer ${at("answer", 95)}), p50 ${result.p50.toFixed(1)} ms (fetch ${at("survey", 50)}, answer ${at("answer", 50)}), p99 ${result.p99.toFixed(1)} ms; ${codes}${cpu}${postgres}`;
}

export async function run(): Promise<{ rows: BenchRow[] }> {
  ensureBuild();
  applyBenchAppEnv();
  const rows: BenchRow[] = [];
  // Enough shoppers for every pair the two rates could ask for, plus the warm-up.
  const needed = Math.ceil(((GOAL_RATE + REFERENCE_RATE) * SECONDS) / 2) + 200;
  for (const kind of ["sqlite", "postgresql"] as const) {
    const name = kind === "sqlite" ? "SQLite" : "PostgreSQL";
    const goal = `p95 ≤ ${GOAL_P95_MS} ms at ${GOAL_RATE} req/s, all 200/201`;
    const database = await freshBenchDatabase(kind);
    if (!database) {
      rows.push({
        benchmark: `checkout survey fetch + answer, 1 instance on ${name}`,
        measured: "PostgreSQL unreachable",
        goal,
        result: "SKIPPED",
      });
      continue;
    }
    try {
      await withEmulatorShop(database.url, async (emulator, shop) => {
        const app = await startAppInstance(database.url, emulator.url);
        try {
          const shoppers = await prepareShoppers(app, shop, needed);
          let used = 0;
          const warm = await pace(app, shoppers, 100, 2, used, database.name);
          used += warm.usedShoppers;
          for (const rate of [REFERENCE_RATE, GOAL_RATE]) {
            const result = await pace(app, shoppers, rate, SECONDS, used, database.name);
            used += result.usedShoppers;
            const clean =
              Object.keys(result.statuses.survey ?? {}).every((code) => code === "200") &&
              Object.keys(result.statuses.answer ?? {}).every((code) => code === "201");
            const met = result.p95 <= GOAL_P95_MS && clean && result.requestsPerSecond >= rate * 0.95;
            rows.push({
              benchmark: `checkout survey fetch + answer, 1 instance on ${name}, offered ${rate} req/s (${CONNECTIONS[rate] ?? 10} connections, ${SECONDS} s)`,
              measured: describeRun(result),
              goal: rate === GOAL_RATE ? goal : `reference (p95 ≤ ${GOAL_P95_MS} ms)`,
              result: met ? "met" : "MISSED",
            });
          }
          if (used > shoppers.length)
            throw new Error("bench ran out of prepared orders: answers were refused");
        } finally {
          await app.stop();
        }
      });
    } finally {
      await database.drop();
    }
  }
  return { rows };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { rows } = await run();
  printRows(rows);
}
