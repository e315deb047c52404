import { describe, expect, it } from "vitest";
import { benchmarkById, NPS_BENCHMARKS } from "~/domain/nps-benchmarks";
import { filterColumns, reportFiltersFromUrl } from "~/domain/report-filters";
import { surveySettingsSchema } from "~/domain/survey-settings";

describe("dashboard filters", () => {
  it("reads the period and filters from the URL", () => {
    const url = new URL(
      "https://app.test/app?days=30&channel=order_status&locale=fr&customer=returning&stage=delivery",
    );
    expect(reportFiltersFromUrl(url)).toEqual({
      days: 30,
      channel: "order_status",
      locale: "fr",
      customer: "returning",
      stage: "delivery",
    });
  });

  it("falls back to all answers of the last 90 days for values it does not know", () => {
    const url = new URL(
      "https://app.test/app?days=-4&channel=fax&locale=klingon&customer=vip&stage=%27;drop",
    );
    expect(reportFiltersFromUrl(url)).toEqual({ days: 90 });
  });

  it("narrows answers by their own columns, the customer type as a boolean", () => {
    expect(filterColumns({ customer: "new", locale: "de" })).toEqual([
      { column: "locale", value: "de" },
      { column: "returningCustomer", value: false },
    ]);
    expect(filterColumns({})).toEqual([]);
  });
});

describe("NPS benchmarks", () => {
  it("name a source and a link for every figure, each within the NPS scale", () => {
    for (const benchmark of NPS_BENCHMARKS) {
      expect(benchmark.source).not.toBe("");
      expect(benchmark.url).toMatch(/^https:\/\//);
      expect(benchmark.nps).toBeGreaterThanOrEqual(-100);
      expect(benchmark.nps).toBeLessThanOrEqual(100);
    }
    expect(benchmarkById("apparel")?.nps).toBe(44);
    expect(benchmarkById("nope")).toBeNull();
  });

  it("are chosen in the survey settings, an unknown one refused by name", () => {
    expect(surveySettingsSchema.parse({}).benchmark).toBeNull();
    expect(surveySettingsSchema.parse({ benchmark: "beauty" }).benchmark).toBe("beauty");
    const refused = surveySettingsSchema.safeParse({ benchmark: "widgets" });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.path).toEqual(["benchmark"]);
  });
});
