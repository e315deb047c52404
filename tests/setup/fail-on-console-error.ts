import { inspect } from "node:util";
import { afterEach, beforeEach, vi } from "vitest";

// A console.error during a test is a bug we did not assert on: fail the test.
let errors: unknown[][] = [];
beforeEach(() => {
  errors = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    errors.push(args);
  });
});
afterEach(() => {
  vi.mocked(console.error).mockRestore();
  if (errors.length > 0) {
    const first = errors[0]?.map((a) => (typeof a === "string" ? a : inspect(a, { depth: 4 }))).join(" ");
    throw new Error(`console.error was called ${errors.length} time(s); first: ${first}`);
  }
});
