import { useSearchParams } from "@remix-run/react";
import { Card, InlineGrid, Select } from "@shopify/polaris";
import type { ReportFilters } from "~/domain/report-filters";

const ALL = "";
const FILTERS = [
  {
    name: "days",
    label: "Period",
    options: [
      { label: "Last 7 days", value: "7" },
      { label: "Last 30 days", value: "30" },
      { label: "Last 90 days", value: "90" },
      { label: "Last 365 days", value: "365" },
    ],
  },
  {
    name: "channel",
    label: "Channel",
    options: [
      { label: "All channels", value: ALL },
      { label: "Thank-you page", value: "thank_you" },
      { label: "Order-status page", value: "order_status" },
      { label: "Storefront widget", value: "storefront" },
      { label: "Survey link", value: "survey_link" },
    ],
  },
  {
    name: "customer",
    label: "Customers",
    options: [
      { label: "New and returning", value: ALL },
      { label: "New customers", value: "new" },
      { label: "Returning customers", value: "returning" },
    ],
  },
  {
    name: "locale",
    label: "Language",
    options: [
      { label: "All languages", value: ALL },
      { label: "English", value: "en" },
      { label: "French", value: "fr" },
      { label: "German", value: "de" },
      { label: "Spanish", value: "es" },
    ],
  },
  {
    name: "stage",
    label: "Stage",
    options: [
      { label: "Both stages", value: ALL },
      { label: "At purchase", value: "purchase" },
      { label: "After delivery", value: "delivery" },
    ],
  },
] as const;

/** Period and filters, kept in the URL so a view can be shared and every panel reads the same state. */
export function DashboardFilters({ days, filters }: { days: number; filters: ReportFilters }) {
  const [params, setParams] = useSearchParams();
  const current: Record<string, string> = { days: String(days), ...filters };
  const change = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value === ALL) next.delete(name);
    else next.set(name, value);
    setParams(next);
  };
  return (
    <Card>
      <InlineGrid columns={{ xs: 1, sm: 3, md: 5 }} gap="300">
        {FILTERS.map((filter) => (
          <Select
            key={filter.name}
            label={filter.label}
            options={[...filter.options]}
            value={current[filter.name] ?? ALL}
            onChange={(value) => change(filter.name, value)}
          />
        ))}
      </InlineGrid>
    </Card>
  );
}
