import { randomUUID } from "node:crypto";
import { cpus, loadavg } from "node:os";
import { pathToFileURL } from "node:url";
import { makeCheckoutSessionToken } from "../tests/emulator/session-tokens";
import { addEmulatorCustomers, addEmulatorOrders, type TestShop } from "../tests/factories/shop";
import {
  BENCH_API_KEY,
  BENCH_API_SECRET,
  type BenchDatabase,
  type BenchRow,
  type ChildServer,
  ensureBuild,
  freshBenchDatabase,
  percentile,
  printRows,
  signedOrderCreate,
  startAppInstance,
  withEmulatorShop,
} from "./webhook-ingest";

// A Black Friday burst: signed orders/create deliveries at BENCH_BFCM_ORDERS_PER_MINUTE (10,000) for
// BENCH_BFCM_MINUTES (3), and BENCH_BFCM_ANSWER_SHARE (30 %) of the shoppers answering on the thank-you page two
// seconds after their order, as Shopify and the checkout extension would send them — against production app
// instances (server.ts over build/, sync worker on) on SQLite (one instance) and PostgreSQL (BENCH_BFCM_INSTANCES,
// 2), with the emulated Shopify Plus rate limit (1,000 points/s). Shopify's behaviour is kept: a delivery not
// answered within 5 s counts as failed and is sent again (same webhook id) 10 s later, up to 3 attempts.
// Checked afterwards: every order has exactly one invitation, every accepted answer exactly one response, no
// delivery recorded twice, the sync queue drained within the rate limit's pace, every answering customer's tags
// in Shopify exact. Reported: throughput and latency of each flow, retries, queue depth and lag (of the tag writes,
// and of the queued orders). BENCH_BFCM_PROCESSING=inline applies the orders in the request instead of queuing them.
// `npx tsx bench/bfcm-burst.ts`.

const ORDERS_PER_MINUTE = Number(process.env.BENCH_BFCM_ORDERS_PER_MINUTE ?? 10_000);
const MINUTES = Number(process.env.BENCH_BFCM_MINUTES ?? 3);
const ANSWER_SHARE = Number(process.env.BENCH_BFCM_ANSWER_SHARE ?? 0.3);
const POSTGRES_INSTANCES = Number(process.env.BENCH_BFCM_INSTANCES ?? 2);
// queued: the instances answer an order webhook once it is stored and their workers apply it (ADR 0005)
const PROCESSING = process.env.BENCH_BFCM_PROCESSING === "inline" ? "inline" : "queued";
const SHOPIFY_TIMEOUT_MS = 5000;
const RETRY_AFTER_MS = 10_000;
const MAX_ATTEMPTS = 3;
const MAX_IN_FLIGHT = 512;
const DRAIN_DEADLINE_MS = 20 * 60_000;
const PLUS_RESTORE_RATE = 1000;
// The queue counts as drained at the rate limit's pace when the last write lands within this slack of the moment
// the limit allows (the writes cannot finish before the answers arrive, nor faster than the bucket refills).
const DRAIN_SLACK_SECONDS = 60;
const BROWSER =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Outcome {
  latencies: number[];
  statuses: Record<string, number>;
}

function outcome(): Outcome {
  return { latencies: [], statuses: {} };
}

/** Sends one request with Shopify's 5 s timeout; records its latency and status (or "timeout"/"error"). */
async function send(into: Outcome, url: string, init: RequestInit): Promise<number | "timeout" | "error"> {
  const started = performance.now();
  let status: number | "timeout" | "error";
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(SHOPIFY_TIMEOUT_MS) });
    await response.arrayBuffer();
    status = response.status;
  } catch (error) {
    status = (error as Error).name === "TimeoutError" ? "timeout" : "error";
  }
  into.latencies.push(performance.now() - started);
  into.statuses[String(status)] = (into.statuses[String(status)] ?? 0) + 1;
  return status;
}

/** Limits requests in flight; a caller waits for a free slot (and the wait shows up as client-side lag). */
class Slots {
  private inFlight = 0;
  private waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(work: () => Promise<T>): Promise<T> {
    while (this.inFlight >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.inFlight += 1;
    try {
      return await work();
    } finally {
      this.inFlight -= 1;
      this.waiting.shift()?.();
    }
  }
}

interface BurstResult {
  orders: number;
  answersOffered: number;
  sendSeconds: number;
  webhooks: Outcome;
  webhookRetries: number;
  webhooksGivenUp: number;
  surveys: Outcome;
  answers: Outcome;
  acceptedAnswers: number;
  drainSeconds: number | null;
  maxQueueDepth: number;
  lag: { p50: number; p99: number; max: number };
  orderLag: { count: number; p50: number; p99: number; max: number };
  invitations: number;
  ordersWithoutOneInvitation: number;
  responses: number;
  /** Invitations beyond one per order (a delivery processed twice would make them). */
  duplicateInvitations: number;
  deliveriesRecorded: number;
  wrongCustomers: number;
  surfacedThrottles: number;
  throttledResponses: number;
}

async function queueDepth(database: BenchDatabase): Promise<number> {
  const { createDatabase } = await import("../app/adapters/db/client.server");
  const client = createDatabase(database.url);
  try {
    return await client.syncJob.count({ where: { status: { in: ["pending", "running"] } } });
  } finally {
    await client.$disconnect();
  }
}

async function burst(
  database: BenchDatabase,
  apps: ChildServer[],
  shop: TestShop,
  emulator: Parameters<Parameters<typeof withEmulatorShop>[1]>[0],
): Promise<BurstResult> {
  const orders = Math.round(ORDERS_PER_MINUTE * MINUTES);
  const intervalMs = 60_000 / ORDERS_PER_MINUTE;
  const firstOrder = 7_000_001;
  const answering = new Set<number>();
  for (let index = 0; index < orders; index += 1) {
    // Spread evenly: every order whose running share crosses the next whole answer answers.
    if (Math.floor((index + 1) * ANSWER_SHARE) > Math.floor(index * ANSWER_SHARE)) answering.add(index);
  }
  const customerOf = (index: number) => 9_000_001 + index;
  const answeringCustomers = [...answering].map((index) => ({ id: customerOf(index), tags: ["vip"] }));
  for (let start = 0; start < answeringCustomers.length; start += 5000)
    await addEmulatorCustomers(emulator.url, shop.shopDomain, answeringCustomers.slice(start, start + 5000));
  // Shopify has every order before its webhook: the survey-link metafield is written on it.
  const allOrders = Array.from({ length: orders }, (_, index) => ({
    id: firstOrder + index,
    customerId: customerOf(index),
  }));
  for (let start = 0; start < allOrders.length; start += 5000)
    await addEmulatorOrders(emulator.url, shop.shopDomain, allOrders.slice(start, start + 5000));

  const webhooks = outcome();
  const surveys = outcome();
  const answers = outcome();
  const slots = new Slots(MAX_IN_FLIGHT);
  let webhookRetries = 0;
  let webhooksGivenUp = 0;
  let acceptedAnswers = 0;
  let maxQueueDepth = 0;
  const appFor = (index: number) => apps[index % apps.length]!;
  const pending: Promise<unknown>[] = [];

  async function deliverOrder(index: number) {
    const id = firstOrder + index;
    const { headers, body } = signedOrderCreate(
      shop,
      { id, customerId: customerOf(index) },
      { webhookId: `bfcm-${id}`, eventId: randomUUID() },
    );
    for (let attempt = 1; ; attempt += 1) {
      const status = await slots.run(() =>
        send(webhooks, `${appFor(index + attempt - 1).url}/webhooks/orders/create`, {
          method: "POST",
          headers,
          body,
        }),
      );
      if (status === 200) return;
      if (attempt >= MAX_ATTEMPTS) {
        webhooksGivenUp += 1;
        return;
      }
      webhookRetries += 1;
      await sleep(RETRY_AFTER_MS);
    }
  }

  async function answer(index: number) {
    await sleep(2000);
    const id = firstOrder + index;
    const orderGid = `gid://shopify/Order/${id}`;
    const token = await makeCheckoutSessionToken({
      shop: shop.shopDomain,
      apiKey: BENCH_API_KEY,
      apiSecret: BENCH_API_SECRET,
      sub: `gid://shopify/Customer/${customerOf(index)}`,
      expiresInSeconds: 3600,
    });
    const headers = {
      Authorization: `Bearer ${token}`,
      "User-Agent": BROWSER,
      "X-Forwarded-For": `10.${Math.floor(index / 65_536) % 256}.${Math.floor(index / 256) % 256}.${index % 256}`,
    };
    const app = appFor(index + 1);
    await slots.run(() =>
      send(surveys, `${app.url}/api/checkout/survey?orderId=${encodeURIComponent(orderGid)}&locale=en`, {
        headers,
      }),
    );
    const status = await slots.run(() =>
      send(answers, `${app.url}/api/checkout/responses`, {
        method: "POST",
        headers: { ...headers, "Content-Type": "application/json" },
        body: JSON.stringify({ orderId: orderGid, score: index % 11, comment: "Fast and friendly" }),
      }),
    );
    if (status === 201 || status === 200) acceptedAnswers += 1;
  }

  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      maxQueueDepth = Math.max(maxQueueDepth, await queueDepth(database));
      await sleep(1000);
    }
  })();

  const started = performance.now();
  for (let index = 0; index < orders; index += 1) {
    const due = started + index * intervalMs;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    pending.push(deliverOrder(index));
    if (answering.has(index)) pending.push(answer(index));
    if (index > 0 && index % ORDERS_PER_MINUTE === 0)
      console.error(`  bfcm: ${index} orders sent in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  const sendSeconds = (performance.now() - started) / 1000;
  await Promise.all(pending);
  const sentAt = performance.now();

  let drainSeconds: number | null = null;
  for (;;) {
    const depth = await queueDepth(database);
    maxQueueDepth = Math.max(maxQueueDepth, depth);
    if (depth === 0) {
      drainSeconds = (performance.now() - sentAt) / 1000;
      break;
    }
    if (performance.now() - sentAt > DRAIN_DEADLINE_MS) break;
    await sleep(1000);
  }
  sampling = false;
  await sampler;

  const { createDatabase } = await import("../app/adapters/db/client.server");
  const client = createDatabase(database.url);
  try {
    const [invitations, responses, deliveries, perOrder, jobs, surfacedThrottles, profiles] =
      await Promise.all([
        client.invitation.count({ where: { shopDomain: shop.shopDomain } }),
        client.response.count({ where: { shopDomain: shop.shopDomain } }),
        client.webhookDelivery.count({ where: { shopDomain: shop.shopDomain } }),
        client.invitation.groupBy({
          by: ["orderId"],
          where: { shopDomain: shop.shopDomain },
          _count: { _all: true },
        }),
        client.syncJob.findMany({
          where: { kind: { in: ["customer_category", "order_webhook"] }, status: "done" },
          select: { kind: true, createdAt: true, doneAt: true },
        }),
        client.syncJob.count({ where: { lastError: { contains: "hrottled" } } }),
        client.customerProfile.findMany({
          where: { shopDomain: shop.shopDomain, latestCategory: { not: null } },
          select: { customerId: true, latestCategory: true },
        }),
      ]);
    const lagsOf = (kind: string) =>
      jobs
        .filter((job) => job.kind === kind)
        .map((job) => (job.doneAt ? job.doneAt.getTime() - job.createdAt.getTime() : Number.NaN))
        .filter((lag) => Number.isFinite(lag))
        .sort((a, b) => a - b);
    const lags = lagsOf("customer_category");
    const orderLags = lagsOf("order_webhook");
    const state = emulator.store.shops.get(shop.shopDomain);
    const wrongCustomers = profiles.filter((profile) => {
      const tags = state?.customers.get(`gid://shopify/Customer/${profile.customerId}`)?.tags ?? [];
      return !(tags.length === 2 && tags.includes("vip") && tags.includes(`nps:${profile.latestCategory}`));
    }).length;
    return {
      orders,
      answersOffered: answering.size,
      sendSeconds,
      webhooks,
      webhookRetries,
      webhooksGivenUp,
      surveys,
      answers,
      acceptedAnswers,
      drainSeconds,
      maxQueueDepth,
      lag: { p50: percentile(lags, 50), p99: percentile(lags, 99), max: lags.at(-1) ?? Number.NaN },
      orderLag: {
        count: orderLags.length,
        p50: percentile(orderLags, 50),
        p99: percentile(orderLags, 99),
        max: orderLags.at(-1) ?? Number.NaN,
      },
      invitations,
      ordersWithoutOneInvitation: orders - perOrder.filter((group) => group._count._all === 1).length,
      responses,
      duplicateInvitations: invitations - perOrder.length,
      deliveriesRecorded: deliveries,
      // An answering customer without a profile is as wrong as one with the wrong tags.
      wrongCustomers: wrongCustomers + Math.max(0, acceptedAnswers - profiles.length),
      surfacedThrottles,
      throttledResponses: emulator.store.requests.filter((request) => request.throttled).length,
    };
  } finally {
    await client.$disconnect();
  }
}

function latencyText(name: string, result: Outcome, seconds: number): string {
  const sorted = [...result.latencies].sort((a, b) => a - b);
  const codes = Object.entries(result.statuses)
    .map(([code, n]) => `${n}×${code}`)
    .join(" ");
  return `${name} ${(sorted.length / seconds).toFixed(0)}/s p50 ${percentile(sorted, 50).toFixed(0)} ms p99 ${percentile(sorted, 99).toFixed(0)} ms (${codes})`;
}

export async function run(): Promise<{ rows: BenchRow[] }> {
  ensureBuild();
  const rows: BenchRow[] = [];
  const orders = Math.round(ORDERS_PER_MINUTE * MINUTES);
  const goal = `0 lost, 0 duplicated, every answer synced exactly, queue drained within ${DRAIN_SLACK_SECONDS} s of the pace the rate limit allows (Plus: ${PLUS_RESTORE_RATE} points/s), 0 THROTTLED surfaced`;
  for (const kind of ["sqlite", "postgresql"] as const) {
    const instances = kind === "sqlite" ? 1 : POSTGRES_INSTANCES;
    const label = `BFCM burst: ${ORDERS_PER_MINUTE.toLocaleString("en")} orders/min for ${MINUTES} min (${orders.toLocaleString("en")} orders, ${Math.round(ANSWER_SHARE * 100)} % answering), ${instances} instance${instances > 1 ? "s" : ""} on ${kind === "sqlite" ? "SQLite" : "PostgreSQL"}, WEBHOOK_PROCESSING=${PROCESSING}`;
    const database = await freshBenchDatabase(kind);
    if (!database) {
      rows.push({ benchmark: label, measured: "PostgreSQL unreachable", goal, result: "SKIPPED" });
      continue;
    }
    try {
      await withEmulatorShop(
        database.url,
        async (emulator, shop) => {
          const apps: ChildServer[] = [];
          try {
            for (let n = 0; n < instances; n += 1)
              apps.push(
                await startAppInstance(database.url, emulator.url, {
                  SYNC_WORKER: "on",
                  SYNC_WORKER_INTERVAL_MS: "200",
                  WEBHOOK_PROCESSING: PROCESSING,
                }),
              );
            // The install's setup job (definitions, segments) runs before the burst.
            while ((await queueDepth(database)) > 0) await sleep(200);
            emulator.store.requests.length = 0;
            const result = await burst(database, apps, shop, emulator);
            const lost =
              result.orders -
              result.invitations +
              result.webhooksGivenUp +
              (result.acceptedAnswers - result.responses);
            // The pace the rate limit allows at 1,000 points/s after the 20,000-point bucket: per order 10 points
            // (the survey-link metafield), per answer 11 (tag read + customerUpdate) and 8 for the first enrichment.
            const paceSeconds =
              (result.orders * 10 + result.acceptedAnswers * (11 + 8) - 20_000) / PLUS_RESTORE_RATE;
            const met =
              result.invitations === result.orders &&
              result.ordersWithoutOneInvitation === 0 &&
              result.webhooksGivenUp === 0 &&
              result.responses === result.acceptedAnswers &&
              result.acceptedAnswers === result.answersOffered &&
              result.duplicateInvitations === 0 &&
              result.wrongCustomers === 0 &&
              result.drainSeconds !== null &&
              result.drainSeconds <= DRAIN_SLACK_SECONDS + Math.max(0, paceSeconds - result.sendSeconds) &&
              result.surfacedThrottles === 0;
            rows.push({
              benchmark: label,
              measured: [
                `sent in ${result.sendSeconds.toFixed(0)} s (1-min load ${loadavg()[0]?.toFixed(1)} on ${cpus().length} CPUs)`,
                latencyText("webhooks", result.webhooks, result.sendSeconds),
                `${result.webhookRetries} redelivered after a timeout/error, ${result.webhooksGivenUp} given up`,
                latencyText("survey fetches", result.surveys, result.sendSeconds),
                latencyText("answers", result.answers, result.sendSeconds),
                `${result.invitations}/${result.orders} orders with one invitation (${result.ordersWithoutOneInvitation} without exactly one), ${result.responses} responses for ${result.acceptedAnswers}/${result.answersOffered} accepted answers, ${result.duplicateInvitations} duplicate invitations, ${result.deliveriesRecorded} deliveries recorded`,
                `queue: max depth ${result.maxQueueDepth}, drained ${result.drainSeconds === null ? "NOT within 20 min" : `${result.drainSeconds.toFixed(0)} s after the last request`} (rate-limit pace ≥ ${Math.max(0, paceSeconds).toFixed(0)} s of writes), tag-write lag p50 ${(result.lag.p50 / 1000).toFixed(1)} s p99 ${(result.lag.p99 / 1000).toFixed(1)} s max ${(result.lag.max / 1000).toFixed(1)} s${result.orderLag.count > 0 ? `; ${result.orderLag.count} queued orders applied, lag p50 ${(result.orderLag.p50 / 1000).toFixed(1)} s p99 ${(result.orderLag.p99 / 1000).toFixed(1)} s max ${(result.orderLag.max / 1000).toFixed(1)} s` : ""}`,
                `${result.wrongCustomers} customers with wrong tags, ${result.throttledResponses} THROTTLED absorbed, ${result.surfacedThrottles} surfaced; lost ${Math.max(0, lost)}`,
              ].join("; "),
              goal,
              result: met ? "met" : "MISSED",
            });
          } finally {
            await Promise.all(apps.map((app) => app.stop()));
          }
        },
        "plus",
      );
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
