import { describe, expect, it } from "vitest";
import {
  NPS_SEGMENT_NAMES,
  npsSegmentSpecs,
  segmentQueryForTag,
  tagNamesChanged,
} from "~/domain/nps-segments";
import {
  afterScanPage,
  afterUnseenBatch,
  assessScanPage,
  assessUnseen,
  customerTagSearch,
  heldCategories,
  RECONCILE_PAGE_SIZE,
  RECONCILE_START,
  reconcilePayloadSchema,
  tagsMatchCategory,
} from "~/domain/reconciliation";
import { matchesSearch } from "../emulator/resolvers";
import type { EmulatedCustomer } from "../emulator/store";

const names = { promoter: "nps:promoter", passive: "nps:passive", detractor: "nps:detractor" };
const none = new Set<string>();

function emulated(tags: string[]): EmulatedCustomer {
  return {
    id: "gid://shopify/Customer/1",
    email: null,
    firstName: null,
    lastName: null,
    tags,
    numberOfOrders: 0,
    amountSpent: { amount: "0.0", currencyCode: "USD" },
    createdAt: "2026-01-01T00:00:00Z",
    updatedAt: "2026-01-01T00:00:00Z",
    metafields: [],
  };
}

describe("the customer search for one tag", () => {
  it("quotes the tag so colons and spaces stay part of it", () => {
    expect(customerTagSearch("nps:promoter")).toBe("tag:'nps:promoter'");
    expect(customerTagSearch("big fan")).toBe("tag:'big fan'");
  });

  it("escapes quotes and backslashes with a backslash", () => {
    expect(customerTagSearch("it's")).toBe("tag:'it\\'s'");
    expect(customerTagSearch("a\\b")).toBe("tag:'a\\\\b'");
  });

  it("finds, as the emulator searches like Shopify, exactly the customers holding the tag in any case", () => {
    for (const tag of ["nps:promoter", "it's", "a\\b", "big fan", "x'y\\'z"]) {
      const search = customerTagSearch(tag);
      expect(matchesSearch(emulated(["vip", tag.toUpperCase()]), search)).toBe(true);
      expect(matchesSearch(emulated(["vip", `${tag}s`]), search)).toBe(false);
      expect(matchesSearch(emulated(["vip"]), search)).toBe(false);
    }
    expect(matchesSearch(emulated(["nps:promoter"]), "tag:nps:promoter")).toBe(true);
    expect(matchesSearch(emulated(["nps:promoter"]), "tag:nps:pro")).toBe(false);
  });
});

describe("comparing one customer's tags with its category", () => {
  it("lists the category tags held, ignoring case and merchant tags", () => {
    expect(heldCategories(["VIP", "NPS:Detractor", "nps:promoter"], names)).toEqual([
      "promoter",
      "detractor",
    ]);
    expect(heldCategories(["vip"], names)).toEqual([]);
  });

  it("is in step only with its own tag and no other category tag", () => {
    expect(tagsMatchCategory("passive", ["vip", "nps:passive"], names)).toBe(true);
    expect(tagsMatchCategory("passive", ["vip"], names)).toBe(false);
    expect(tagsMatchCategory("passive", ["nps:passive", "nps:promoter"], names)).toBe(false);
    expect(tagsMatchCategory("passive", ["nps:detractor"], names)).toBe(false);
  });
});

describe("one page of customers Shopify found with a category tag", () => {
  const categories = new Map([
    ["1", "promoter"],
    ["2", "promoter"],
    ["3", "detractor"],
    ["4", "promoter"],
    ["5", "promoter"],
  ] as const);

  it("compares each known customer once and names the ones whose tags drifted", () => {
    const result = assessScanPage({
      scanned: "promoter",
      customers: [
        { customerId: "1", tags: ["nps:promoter", "vip"] }, // in step
        { customerId: "2", tags: ["nps:promoter", "nps:passive"] }, // a second category tag
        { customerId: "3", tags: ["nps:promoter"] }, // the app files it as detractor
        { customerId: "9", tags: ["nps:promoter"] }, // no answer in the app
      ],
      names,
      categories,
      compared: none,
      inFlight: none,
    });
    expect(result).toEqual({ compared: ["1", "2", "3"], drifted: ["2", "3"], untracked: ["9"] });
  });

  it("leaves a customer to the scan of the first category tag it holds, and skips the ones compared before", () => {
    const result = assessScanPage({
      scanned: "passive",
      customers: [
        { customerId: "2", tags: ["nps:promoter", "nps:passive"] }, // compared in the promoter scan
        { customerId: "4", tags: ["nps:passive"] },
        { customerId: "5", tags: ["nps:passive"] },
        { customerId: "5", tags: ["nps:passive"] }, // listed twice on one page
      ],
      names,
      categories,
      compared: new Set(["4"]),
      inFlight: none,
    });
    expect(result).toEqual({ compared: ["5"], drifted: ["5"], untracked: [] });
  });

  it("ignores a search hit that does not hold the tag (Shopify's index may lag behind)", () => {
    const result = assessScanPage({
      scanned: "promoter",
      customers: [{ customerId: "1", tags: ["vip"] }],
      names,
      categories,
      compared: none,
      inFlight: none,
    });
    expect(result).toEqual({ compared: [], drifted: [], untracked: [] });
  });

  it("does not count a customer whose sync job is still on its way as drifted", () => {
    const result = assessScanPage({
      scanned: "promoter",
      customers: [{ customerId: "3", tags: ["nps:promoter"] }],
      names,
      categories,
      compared: none,
      inFlight: new Set(["3"]),
    });
    expect(result).toEqual({ compared: ["3"], drifted: [], untracked: [] });
  });
});

describe("answered customers no tag scan found", () => {
  it("counts the ones Shopify no longer has as gone and the others as drifted, unless now in step", () => {
    const result = assessUnseen({
      candidates: [
        { customerId: "1", category: "promoter" },
        { customerId: "2", category: "passive" },
        { customerId: "3", category: "detractor" },
        { customerId: "4", category: "detractor" },
      ],
      found: new Map([
        ["1", ["vip"]],
        ["3", ["nps:detractor"]],
        ["4", []],
      ]),
      names,
      inFlight: new Set(["4"]),
    });
    expect(result).toEqual({ gone: ["2"], drifted: ["1"] });
  });
});

describe("a run's position", () => {
  it("pages through each category tag in turn, then the unseen customers", () => {
    expect(afterScanPage("promoter", { hasNextPage: true, endCursor: "c1" })).toEqual({
      phase: "scan",
      category: "promoter",
      cursor: "c1",
    });
    expect(afterScanPage("promoter", { hasNextPage: false, endCursor: "c1" })).toEqual({
      phase: "scan",
      category: "passive",
      cursor: null,
    });
    expect(afterScanPage("detractor", { hasNextPage: false, endCursor: null })).toEqual({
      phase: "unseen",
      after: null,
    });
  });

  it("ends after an unseen batch shorter than a full page", () => {
    expect(afterUnseenBatch(["1", "2"], 2)).toEqual({ phase: "unseen", after: "2" });
    expect(afterUnseenBatch(["1"], 2)).toBeNull();
    expect(afterUnseenBatch([], 2)).toBeNull();
  });

  it("is read from a job payload, starting at the first tag when none is given", () => {
    expect(reconcilePayloadSchema.parse({ runId: "r1", step: 0 })).toEqual({
      runId: "r1",
      step: 0,
      position: RECONCILE_START,
      pageSize: RECONCILE_PAGE_SIZE,
    });
    expect(RECONCILE_START).toEqual({ phase: "scan", category: "promoter", cursor: null });
    expect(reconcilePayloadSchema.safeParse({ runId: "r1", step: -1 }).success).toBe(false);
    expect(reconcilePayloadSchema.safeParse({ runId: "r1", step: 0, pageSize: 251 }).success).toBe(false);
    expect(
      reconcilePayloadSchema.safeParse({ runId: "r1", step: 1, position: { phase: "scan", category: "x" } })
        .success,
    ).toBe(false);
  });
});

describe("the NPS segments", () => {
  it("filter on the category's tag, the value quoted the way the segment language wants", () => {
    expect(segmentQueryForTag("nps:promoter")).toBe("customer_tags CONTAINS 'nps:promoter'");
    expect(segmentQueryForTag("'VIP'")).toBe("customer_tags CONTAINS '\\'VIP\\''");
    expect(segmentQueryForTag("a\\")).toBe("customer_tags CONTAINS 'a\\\\'");
  });

  it("are three, named per category, following the tag names", () => {
    expect(npsSegmentSpecs({ ...names, passive: "meh" })).toEqual([
      {
        category: "promoter",
        name: NPS_SEGMENT_NAMES.promoter,
        query: "customer_tags CONTAINS 'nps:promoter'",
      },
      { category: "passive", name: "NPS passives", query: "customer_tags CONTAINS 'meh'" },
      { category: "detractor", name: "NPS detractors", query: "customer_tags CONTAINS 'nps:detractor'" },
    ]);
  });

  it("need an update when any tag name changed, even only its case", () => {
    expect(tagNamesChanged(names, { ...names })).toBe(false);
    expect(tagNamesChanged(names, { ...names, detractor: "NPS:detractor" })).toBe(true);
  });
});
