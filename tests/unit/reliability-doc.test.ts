import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// tests/RELIABILITY.md lists the fault scenarios with the test that proves each. This keeps it from going stale:
// every row must name a test file that exists and a test in it by its exact name, so renaming or deleting a
// test fails here. The named tests run in `npm test`, so a scenario that stops holding turns CI red.
const doc = readFileSync("tests/RELIABILITY.md", "utf8");
const rows = doc
  .split("\n")
  .filter((line) => line.startsWith("| ") && !line.startsWith("| scenario") && !line.startsWith("| ---"))
  .map((line) => line.split(" | ").map((cell) => cell.replace(/^\| ?| ?\|$/g, "").trim()));

describe("tests/RELIABILITY.md", () => {
  it("lists at least the fault scenarios the issues ask for", () => {
    expect(rows.length).toBeGreaterThanOrEqual(12);
  });

  for (const row of rows) {
    const scenario = row[0] ?? "";
    const proof = row[row.length - 1] ?? "";
    it(`names an existing test for "${scenario}"`, () => {
      const match = /^`([^`]+)` › (.+)$/.exec(proof);
      expect(match, `last cell must be \`file\` › test name: ${proof}`).not.toBeNull();
      const [, file = "", name = ""] = match ?? [];
      expect(existsSync(file), `${file} exists`).toBe(true);
      expect(readFileSync(file, "utf8")).toContain(`"${name}"`);
    });
  }
});
