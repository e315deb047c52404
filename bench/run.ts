import { appendFileSync, existsSync, writeFileSync } from "node:fs";
import os from "node:os";
import { benchSyncThroughput } from "./sync-throughput";

// `npm run bench`: each figure beside its goal, appended to bench/RESULTS.md with the machine and the date.
// Fails (exit 1) when a goal is missed. Not part of `npm test`.
// 10,000 customers by default (about 18 minutes): small runs mostly measure the full 2,000-point bucket, not the
// 100 points/s it refills at. BENCH_SYNC_CUSTOMERS=500 for a quick look.
const customers = Number(process.env.BENCH_SYNC_CUSTOMERS ?? 10_000);
const GOAL_CUSTOMERS_PER_SECOND = 9;

console.log(
  `Goal: tag sync of ${customers} customers on the emulated Standard plan (2,000-point bucket, 100 points/s) at ≥ ${GOAL_CUSTOMERS_PER_SECOND} customers/s, 0 THROTTLED surfaced, exact final state.`,
);
const sync = await benchSyncThroughput(customers);
const goalMet =
  sync.customersPerSecond >= GOAL_CUSTOMERS_PER_SECOND && sync.surfacedThrottles === 0 && sync.exact;
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const results = "bench/RESULTS.md";
if (!existsSync(results))
  writeFileSync(results, "# Benchmark results\n\nAppended by `npm run bench`; newest last.\n");
appendFileSync(
  results,
  `
## ${new Date().toISOString()} — ${machine}

| benchmark | measured | goal | result |
|---|---|---|---|
| tag sync, emulated Standard plan (100 points/s), ${sync.customers} customers | ${sync.customersPerSecond.toFixed(2)} customers/s in ${sync.seconds.toFixed(1)} s (${sync.pointsPerCustomer.toFixed(1)} points/customer, ceiling ${sync.ceilingCustomersPerSecond.toFixed(2)}/s); ${sync.throttledResponses} THROTTLED answers absorbed, ${sync.surfacedThrottles} surfaced; final state ${sync.exact ? "exact" : "WRONG"} | ≥ ${GOAL_CUSTOMERS_PER_SECOND} customers/s, 0 surfaced, exact | ${goalMet ? "met" : "MISSED"} |
`,
);
console.log(sync);
if (goalMet) {
  console.log(
    `Goal met: ${sync.customersPerSecond.toFixed(2)} customers/s ≥ ${GOAL_CUSTOMERS_PER_SECOND}, 0 THROTTLED surfaced, exact.`,
  );
} else {
  console.error(
    `GOAL MISSED: ${sync.customersPerSecond.toFixed(2)} customers/s (goal ≥ ${GOAL_CUSTOMERS_PER_SECOND}), ${sync.surfacedThrottles} THROTTLED surfaced (goal 0), final state ${sync.exact ? "exact" : `WRONG (e.g. customers ${sync.wrong.join(", ")})`}.`,
  );
  process.exit(1);
}
