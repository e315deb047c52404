// @vitest-environment node
import { execFile } from "node:child_process";
import { statSync } from "node:fs";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const BUDGET_BYTES = 32 * 1024;

// Shopify's own CLI (3.92, offline) validates every extension's TOML, its targets against the installed
// @shopify/ui-extensions, runs theme check on the theme app extension, and bundles the UI extensions.
describe("Shopify CLI", () => {
  it("builds every extension (checkout, order status, theme, Flow trigger and its lifecycle callback), the UI bundles under 32 KB minified", async () => {
    const { stdout, stderr } = await run(
      "node_modules/.bin/shopify",
      ["app", "build", "--skip-dependencies-installation"],
      {
        env: { ...process.env, CI: "1", SHOPIFY_CLI_NO_ANALYTICS: "1", NO_COLOR: "1" },
        timeout: 240_000,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const output = `${stdout}\n${stderr}`;
    expect(output).toContain("nps-checkout successfully built");
    expect(output).toContain("nps-order-status successfully built");
    expect(output).toMatch(/Running theme check/);
    expect(output).toMatch(/built!/);
    for (const bundle of ["nps-checkout/dist/nps-checkout.js", "nps-order-status/dist/nps-order-status.js"]) {
      const path = `extensions/${bundle}`;
      const size = statSync(path).size;
      console.info(
        `${bundle} (CLI build): ${(size / 1024).toFixed(1)} KB, ${(gzipSync(readFileSync(path)).length / 1024).toFixed(1)} KB gzipped`,
      );
      expect(size).toBeLessThanOrEqual(BUDGET_BYTES);
    }
  }, 300_000);
});
