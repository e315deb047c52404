// Builds assets/nps-widget.js (committed: Shopify serves theme extension assets as they are).
import { build } from "esbuild";

export function buildWidget({ write = true } = {}) {
  return build({
    entryPoints: ["extensions/nps-storefront/src/nps-widget.ts"],
    bundle: true,
    minify: true,
    format: "iife",
    target: "es2019",
    outfile: "extensions/nps-storefront/assets/nps-widget.js",
    write,
    logLevel: "silent",
    legalComments: "none",
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await buildWidget();
