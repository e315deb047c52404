// @vitest-environment node
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

// Shopify accepts UI extension bundles up to 64 KB compressed; ours must stay under 32 KB minified.
const BUDGET_BYTES = 32 * 1024;

async function bundle(entry: string): Promise<Uint8Array> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: "esm",
    target: "es2020",
    jsx: "automatic",
    jsxImportSource: "preact",
    write: false,
    logLevel: "silent",
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error(`no bundle for ${entry}`);
  return output.contents;
}

describe("the UI extension bundles", () => {
  for (const entry of [
    "extensions/nps-checkout/src/ThankYou.tsx",
    "extensions/nps-order-status/src/OrderStatus.tsx",
  ]) {
    it(`${entry} stays under 32 KB minified`, async () => {
      const code = await bundle(entry);
      const gzipped = gzipSync(code).byteLength;
      console.info(
        `${entry}: ${(code.byteLength / 1024).toFixed(1)} KB minified, ${(gzipped / 1024).toFixed(1)} KB gzipped`,
      );
      expect(code.byteLength).toBeLessThanOrEqual(BUDGET_BYTES);
      expect(code.byteLength).toBeGreaterThan(1024); // a real bundle, not an empty stub
    });
  }
});
