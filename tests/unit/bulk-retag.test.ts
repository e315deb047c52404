import { describe, expect, it } from "vitest";
import {
  earlierTagNames,
  planRetagOperations,
  retagLine,
  retagProgress,
  summarizeResults,
  tagNamesChanged,
  toJsonl,
} from "~/domain/bulk-retag";

const NAMES = { promoter: "NPS Fan", passive: "NPS Neutral", detractor: "NPS Critic" };
const OLD = { promoter: "nps:promoter", passive: "nps:passive", detractor: "nps:detractor" };
const customer = {
  customerId: "42",
  category: "promoter" as const,
  score: 10,
  respondedAt: new Date("2026-11-01T10:00:00Z"),
  comment: "Great",
};

describe("the lines of a bulk re-tag", () => {
  it("adds only the category's tag", () => {
    expect(retagLine("tags_add", customer, NAMES, [OLD])).toEqual({
      id: "gid://shopify/Customer/42",
      tags: ["NPS Fan"],
    });
  });

  it("removes the other categories' tags and every earlier name, never the tag it adds", () => {
    const line = retagLine("tags_remove", customer, NAMES, [OLD, { ...OLD, promoter: "nps fan" }]);
    expect(line).toEqual({
      id: "gid://shopify/Customer/42",
      tags: ["NPS Neutral", "NPS Critic", "nps:promoter", "nps:passive", "nps:detractor"],
    });
  });

  it("writes the nps metafields with customerUpdate and leaves the tags out", () => {
    const line = retagLine("metafields", customer, NAMES, []);
    expect(line).toEqual({
      input: {
        id: "gid://shopify/Customer/42",
        metafields: [
          { namespace: "nps", key: "score", type: "number_integer", value: "10" },
          { namespace: "nps", key: "category", type: "single_line_text_field", value: "promoter" },
          { namespace: "nps", key: "responded_at", type: "date_time", value: "2026-11-01T10:00:00.000Z" },
          { namespace: "nps", key: "last_comment", type: "multi_line_text_field", value: "Great" },
        ],
      },
    });
    expect("tags" in (line as { input: object }).input).toBe(false);
  });

  it("are one JSON object per line, each line ending in a newline", () => {
    const jsonl = toJsonl([
      { id: "a", tags: ["x"] },
      { id: "b", tags: ["y\nz"] },
    ]);
    expect(jsonl).toBe('{"id":"a","tags":["x"]}\n{"id":"b","tags":["y\\nz"]}\n');
  });
});

describe("tag name history", () => {
  it("keeps each earlier set of names once and leaves the current one out", () => {
    expect(earlierTagNames([OLD, NAMES, OLD, { ...OLD, passive: "meh" }], NAMES)).toEqual([
      OLD,
      { ...OLD, passive: "meh" },
    ]);
  });

  it("tells a change in any of the three names, case included", () => {
    expect(tagNamesChanged(OLD, { ...OLD })).toBe(false);
    expect(tagNamesChanged(OLD, { ...OLD, detractor: "NPS:detractor" })).toBe(true);
  });
});

describe("reading a bulk mutation's results file", () => {
  it("counts the lines with user errors or GraphQL errors and samples them with 1-based line numbers", () => {
    const jsonl = [
      { data: { tagsAdd: { userErrors: [] } }, __lineNumber: 0 },
      {
        data: { tagsAdd: { userErrors: [{ field: ["id"], message: "Customer does not exist" }] } },
        __lineNumber: 1,
      },
      {
        errors: [{ message: "Variable $tags of type [String!]! was provided invalid value" }],
        __lineNumber: 2,
      },
      { data: { tagsAdd: null }, __lineNumber: 3 },
    ]
      .map((line) => JSON.stringify(line))
      .join("\n");
    expect(summarizeResults(`${jsonl}\nnot json\n`)).toEqual({
      lines: 5,
      failed: 3,
      sample: [
        "line 2: id: Customer does not exist",
        "line 3: Variable $tags of type [String!]! was provided invalid value",
        "line 5: unreadable result line",
      ],
    });
  });

  it("keeps at most the sample size of problems, counting them all", () => {
    const line = JSON.stringify({ data: { tagsRemove: { userErrors: [{ field: null, message: "no" }] } } });
    const summary = summarizeResults(Array.from({ length: 30 }, () => line).join("\n"), 10);
    expect(summary.failed).toBe(30);
    expect(summary.sample).toHaveLength(10);
    expect(summary.sample[0]).toBe("line 1: input: no");
  });

  it("reads an empty file as no lines", () => {
    expect(summarizeResults("")).toEqual({ lines: 0, failed: 0, sample: [] });
  });
});

describe("a run's operations and progress", () => {
  it("plans three operations per part, in part order", () => {
    const operations = planRetagOperations([
      { after: null, last: "199" },
      { after: "199", last: "350" },
    ]);
    expect(
      operations.map((operation) => [operation.part, operation.kind, operation.after, operation.last]),
    ).toEqual([
      [0, "tags_add", null, "199"],
      [0, "tags_remove", null, "199"],
      [0, "metafields", null, "199"],
      [1, "tags_add", "199", "350"],
      [1, "tags_remove", "199", "350"],
      [1, "metafields", "199", "350"],
    ]);
    expect(operations.every((operation) => operation.status === "pending" && operation.attempts === 0)).toBe(
      true,
    );
  });

  it("counts completed operations by their lines and running ones by Shopify's objectCount", () => {
    const [done, running, waiting] = planRetagOperations([{ after: null, last: "9" }]);
    if (!done || !running || !waiting) throw new Error("three operations expected");
    Object.assign(done, { status: "completed", lines: 100, objectCount: 100, failedLines: 2 });
    Object.assign(running, { status: "submitted", lines: 100, objectCount: 40 });
    expect(retagProgress(100, [done, running, waiting])).toEqual({
      processed: 140,
      total: 300,
      failedLines: 2,
    });
  });
});
