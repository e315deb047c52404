import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type BrowserContext, chromium } from "playwright-core";

/** Debian's chromium, or null when it is not installed (the e2e suites then skip loudly). */
export function chromiumPath(): string | null {
  try {
    return execFileSync("which", ["chromium"], { encoding: "utf8" }).trim() || null;
  } catch {
    return null;
  }
}

/** A fresh profile per launch, removed when the browser closes. */
export async function launchChromium(executablePath: string): Promise<BrowserContext> {
  const profile = mkdtempSync(path.join(tmpdir(), "nps-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  context.on("close", () => {
    // Chromium may still be flushing its profile: retry, and never fail a test over a temporary folder.
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    } catch {
      // left for the OS to clean
    }
  });
  return context;
}
