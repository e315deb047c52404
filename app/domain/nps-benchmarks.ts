// Published NPS benchmarks for ecommerce verticals, shown as a reference line on the dashboard trend. They are
// averages of other surveys (methods differ: relationship vs. transactional, panel vs. customers), so they are
// context, not a target. Each entry names its source.
export interface NpsBenchmark {
  id: string;
  label: string;
  nps: number;
  source: string;
  url: string;
}

const NPSBENCH_2024 = {
  source: "npsBench, NPS by industry (Nov 2024)",
  url: "https://npsbench.com/blog/benchmark/2024-benchmarks-by-industry",
};

export const NPS_BENCHMARKS: readonly NpsBenchmark[] = [
  { id: "apparel", label: "Apparel", nps: 44, ...NPSBENCH_2024 },
  { id: "beauty", label: "Cosmetics and beauty", nps: 46, ...NPSBENCH_2024 },
  { id: "electronics", label: "Consumer electronics", nps: 56, ...NPSBENCH_2024 },
  { id: "food", label: "Packaged food and beverage", nps: 49, ...NPSBENCH_2024 },
  { id: "grocery", label: "Supermarkets and grocery", nps: 30, ...NPSBENCH_2024 },
  { id: "general_retail", label: "General retail, multicategory", nps: 51, ...NPSBENCH_2024 },
  { id: "luxury", label: "Luxury goods", nps: 84, ...NPSBENCH_2024 },
  {
    id: "us_retail_consumers",
    label: "Retail (U.S. consumer study)",
    nps: 28.4,
    source: "Qualtrics XM Institute, U.S. consumer NPS benchmark (2022)",
    url: "https://www.xminstitute.com/data-snippets/xmi-ratings-nps-2022/",
  },
] as const;

export const BENCHMARK_IDS = NPS_BENCHMARKS.map((benchmark) => benchmark.id) as [string, ...string[]];

export function benchmarkById(id: string | null | undefined): NpsBenchmark | null {
  return NPS_BENCHMARKS.find((benchmark) => benchmark.id === id) ?? null;
}
