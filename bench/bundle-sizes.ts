import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { type BenchRow, printRows } from "./webhook-ingest";

// The extensions as Shopify's CLI bundles them (`shopify app build`), and the storefront widget as its build
// script makes it, each beside its budget. Shopify accepts UI extension bundles up to 64 KB compressed; ours
// aim at half of that minified. The widget loads on every storefront page, so its budget is tighter.
// `npx tsx bench/bundle-sizes.ts`.

const UI_BUDGET_BYTES = 32 * 1024;
const WIDGET_BUDGET_BYTES = 10 * 1024;

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function row(name: string, code: Uint8Array | string, budget: number): BenchRow {
  const bytes = typeof code === "string" ? Buffer.byteLength(code) : code.byteLength;
  return {
    benchmark: `bundle size: ${name}`,
    measured: `${kb(bytes)} minified, ${kb(gzipSync(code).byteLength)} gzipped`,
    goal: `≤ ${kb(budget)} minified`,
    result: bytes <= budget ? "met" : "MISSED",
  };
}

export async function run(): Promise<{ rows: BenchRow[] }> {
  await promisify(execFile)(
    "node_modules/.bin/shopify",
    ["app", "build", "--skip-dependencies-installation"],
    {
      env: { ...process.env, CI: "1", SHOPIFY_CLI_NO_ANALYTICS: "1", NO_COLOR: "1" },
      timeout: 240_000,
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const rows = ["nps-checkout", "nps-order-status"].map((handle) =>
    row(
      `${handle} (Shopify CLI build)`,
      readFileSync(`extensions/${handle}/dist/${handle}.js`),
      UI_BUDGET_BYTES,
    ),
  );
  const { buildWidget } = await import("../extensions/nps-storefront/build.mjs");
  const widget = await buildWidget({ write: false });
  rows.push(row("storefront widget nps-widget.js", widget.outputFiles?.[0]?.text ?? "", WIDGET_BUDGET_BYTES));
  return { rows };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { rows } = await run();
  printRows(rows);
}
