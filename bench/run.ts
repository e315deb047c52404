import { appendFileSync, existsSync, writeFileSync } from "node:fs";
import os from "node:os";
import { benchSyncThroughput } from "./sync-throughput";
import { type BenchRow, printRows } from "./webhook-ingest";

// `npm run bench`: every benchmark, each figure beside its goal, appended to bench/RESULTS.md as one table with the
// machine and the date. Exits 1 when a goal is missed. Not part of `npm test`. Takes about an hour in full.
// BENCH_ONLY=ingest,bfcm picks benchmarks; BENCH_SYNC_CUSTOMERS=500 shortens the tag sync for a quick look (small
// runs mostly measure the full 2,000-point bucket, not the 100 points/s it refills at).

const SYNC_CUSTOMERS = Number(process.env.BENCH_SYNC_CUSTOMERS ?? 10_000);
const GOAL_CUSTOMERS_PER_SECOND = 9;

async function tagSync(): Promise<{ rows: BenchRow[] }> {
  const sync = await benchSyncThroughput(SYNC_CUSTOMERS);
  const met =
    sync.customersPerSecond >= GOAL_CUSTOMERS_PER_SECOND && sync.surfacedThrottles === 0 && sync.exact;
  return {
    rows: [
      {
        benchmark: `tag sync, emulated Standard plan (100 points/s), ${sync.customers} customers`,
        measured: `${sync.customersPerSecond.toFixed(2)} customers/s in ${sync.seconds.toFixed(1)} s (${sync.pointsPerCustomer.toFixed(1)} points/customer, ceiling ${sync.ceilingCustomersPerSecond.toFixed(2)}/s); ${sync.throttledResponses} THROTTLED answers absorbed, ${sync.surfacedThrottles} surfaced; final state ${sync.exact ? "exact" : `WRONG (e.g. ${sync.wrong.join(", ")})`}; ${sync.deferredJobs} enrichment jobs left for spare points`,
        goal: `≥ ${GOAL_CUSTOMERS_PER_SECOND} customers/s, 0 surfaced, exact`,
        result: met ? "met" : "MISSED",
      },
    ],
  };
}

const BULK_CUSTOMERS = Number(process.env.BENCH_BULK_CUSTOMERS ?? 100_000);

async function bulkBackfill(): Promise<{ rows: BenchRow[] }> {
  const { benchBulkBackfill } = await import("./bulk-backfill");
  const bulk = await benchBulkBackfill(BULK_CUSTOMERS);
  const met = bulk.status === "completed" && bulk.exact && bulk.lineErrors === 0;
  return {
    rows: [
      {
        benchmark: `re-tag backfill through bulk operations, ${bulk.customers} customers (emulated bulk pace ${bulk.emulatorLinesPerSecondPerOperation} lines/s × ${bulk.emulatorConcurrency} operations)`,
        measured: `wall time ${bulk.seconds.toFixed(1)} s (${bulk.customersPerSecond.toFixed(0)} customers/s, ${bulk.lines} lines, ${bulk.bulkOperations} bulk operations, ${bulk.adminRequests} Admin requests, ${(bulk.uploadedBytes / 2 ** 20).toFixed(1)} MiB uploaded); the app's share ${bulk.appSeconds.toFixed(1)} s; ${bulk.status}, ${bulk.lineErrors} line errors, final state ${bulk.exact ? "exact" : `WRONG (e.g. ${bulk.wrong.join(", ")})`}; seeding ${bulk.seedSeconds.toFixed(0)} s (not counted)`,
        goal: "completes, exact, 0 line errors (wall time reported)",
        result: met ? "met" : "MISSED",
      },
    ],
  };
}

// In the order of the issue's list; each entry loads its module only when it runs.
const BENCHMARKS: Record<string, () => Promise<{ rows: BenchRow[] }>> = {
  ingest: async () => (await import("./webhook-ingest")).run(),
  survey: async () => (await import("./survey-api-latency")).run(),
  bfcm: async () => (await import("./bfcm-burst")).run(),
  sync: tagSync,
  bulk: bulkBackfill,
  reports: async () => (await import("./reports-1m")).run(),
  lcp: async () => (await import("./dashboard-lcp")).run(),
  bundles: async () => (await import("./bundle-sizes")).run(),
};

const only = process.env.BENCH_ONLY?.split(",")
  .map((name) => name.trim())
  .filter(Boolean);
const unknown = only?.filter((name) => !(name in BENCHMARKS)) ?? [];
if (unknown.length > 0) {
  console.error(
    `BENCH_ONLY names unknown benchmarks: ${unknown.join(", ")} (known: ${Object.keys(BENCHMARKS).join(", ")})`,
  );
  process.exit(2);
}

const rows: BenchRow[] = [];
for (const [name, bench] of Object.entries(BENCHMARKS)) {
  if (only && !only.includes(name)) continue;
  console.error(`bench: ${name}…`);
  const started = performance.now();
  try {
    const result = await bench();
    rows.push(...result.rows);
  } catch (error) {
    rows.push({
      benchmark: name,
      measured: `crashed: ${(error as Error).message}`,
      goal: "runs",
      result: "FAILED",
    });
  }
  console.error(`bench: ${name} took ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

const cpu = os.cpus();
const machine = `${cpu.length} × ${cpu[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, 1-min load at the end ${os.loadavg()[0]?.toFixed(1)}`;
const results = "bench/RESULTS.md";
if (!existsSync(results))
  writeFileSync(results, "# Benchmark results\n\nAppended by `npm run bench`; newest last.\n");
const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");
appendFileSync(
  results,
  `\n## ${new Date().toISOString()} — ${machine}\n\n| benchmark | measured | goal | result |\n|---|---|---|---|\n${rows
    .map((row) => `| ${[row.benchmark, row.measured, row.goal, row.result].map(cell).join(" | ")} |`)
    .join("\n")}\n`,
);
printRows(rows);
const missed = rows.filter((row) => row.result === "MISSED" || row.result === "FAILED");
if (missed.length > 0) {
  console.error(
    `\nGOALS MISSED (${missed.length}):\n${missed.map((row) => `- ${row.benchmark}: ${row.result}`).join("\n")}`,
  );
  process.exit(1);
}
console.error(`\nAll ${rows.length} goals met (skipped rows say so).`);
