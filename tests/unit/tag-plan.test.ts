import { describe, expect, it } from "vitest";
import { applyTagPlan, categoryTagsToWrite, planCategoryTags, planNpsMetafields } from "~/domain/tag-plan";

const names = { promoter: "nps:promoter", passive: "nps:passive", detractor: "nps:detractor" };

describe("the tag plan", () => {
  it("adds the category's tag and removes the other two", () => {
    expect(planCategoryTags("passive", names)).toEqual({
      add: ["nps:passive"],
      remove: ["nps:promoter", "nps:detractor"],
    });
  });

  it("leaves out what would change nothing, comparing tags as Shopify does (case-insensitively)", () => {
    expect(
      planCategoryTags("promoter", names, { currentTags: ["VIP", "NPS:Promoter", "nps:detractor"] }),
    ).toEqual({
      add: [],
      remove: ["nps:detractor"],
    });
  });

  it("also removes the tags of earlier tag-name settings", () => {
    const plan = planCategoryTags("detractor", names, {
      previousNames: [{ promoter: "fan", passive: "meh", detractor: "nps:detractor" }],
    });
    expect(plan.add).toEqual(["nps:detractor"]);
    expect(plan.remove).toEqual(["nps:promoter", "nps:passive", "fan", "meh"]);
  });

  it("keeps the merchant's tags when applied, and applying twice changes nothing more", () => {
    const plan = planCategoryTags("promoter", names);
    const once = applyTagPlan(["vip", "nps:detractor", "wholesale"], plan);
    expect(once).toEqual(["vip", "wholesale", "nps:promoter"]);
    expect(applyTagPlan(once, plan)).toEqual(once);
  });
});

describe("the tag list written with customerUpdate (which replaces every tag)", () => {
  it("is the current tags with the merchant's kept in order, the other categories' dropped, ours appended", () => {
    expect(categoryTagsToWrite("detractor", names, ["vip", "nps:promoter", "wholesale"])).toEqual([
      "vip",
      "wholesale",
      "nps:detractor",
    ]);
    expect(categoryTagsToWrite("promoter", names, [])).toEqual(["nps:promoter"]);
  });

  it("is null when the tags already say the category (compared as Shopify does), so nothing is overwritten", () => {
    expect(categoryTagsToWrite("promoter", names, ["vip", "NPS:Promoter"])).toBeNull();
  });

  it("also drops the tags of earlier tag-name settings", () => {
    const previousNames = [{ promoter: "fan", passive: "meh", detractor: "grumpy" }];
    expect(categoryTagsToWrite("passive", names, ["fan", "vip"], { previousNames })).toEqual([
      "vip",
      "nps:passive",
    ]);
  });
});

describe("the NPS metafields", () => {
  it("are typed so segments and Flow can filter on them", () => {
    expect(
      planNpsMetafields({
        score: 3,
        category: "detractor",
        respondedAt: new Date("2026-11-25T10:00:00Z"),
        comment: null,
      }),
    ).toEqual([
      { namespace: "nps", key: "score", type: "number_integer", value: "3" },
      { namespace: "nps", key: "category", type: "single_line_text_field", value: "detractor" },
      { namespace: "nps", key: "responded_at", type: "date_time", value: "2026-11-25T10:00:00.000Z" },
    ]);
  });

  it("shorten the last comment to 255 characters without splitting an emoji", () => {
    const comment = `${"a".repeat(253)}😀😀😀`;
    const fields = planNpsMetafields({ score: 9, category: "promoter", respondedAt: new Date(), comment });
    const last = fields.find((field) => field.key === "last_comment")?.value ?? "";
    expect([...last]).toHaveLength(255);
    expect(last).toBe(`${"a".repeat(253)}😀…`);
  });
});
