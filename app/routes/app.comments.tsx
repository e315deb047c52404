import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useNavigate } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Button,
  Card,
  InlineGrid,
  InlineStack,
  Link,
  Page,
  Pagination,
  Select,
  Tabs,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { db } from "~/adapters/db/client.server";
import { requireAdmin } from "~/adapters/http/admin-auth.server";
import type { Category } from "~/domain/category";
import type { CategoryThemes, CommentTheme } from "~/domain/comment-themes";
import { reportFiltersSchema } from "~/domain/report-filters";
import { BUILT_IN_LOCALES } from "~/domain/survey-text";
import { commentThemes } from "~/services/comment-themes.server";
import { commentFilterSchema, listComments } from "~/services/comments.server";

const DAY_MS = 86_400_000;
const themesPeriodSchema = z.object({ days: reportFiltersSchema.shape.days });

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shopDomain } = await requireAdmin(request);
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const filter = commentFilterSchema.parse(params);
  const { days } = themesPeriodSchema.parse(params);
  const to = new Date();
  const locale = BUILT_IN_LOCALES.find((code) => code === filter.locale);
  const [list, themes] = await Promise.all([
    listComments(db(), shopDomain, filter),
    commentThemes(db(), shopDomain, { from: new Date(to.getTime() - days * DAY_MS), to, locale }),
  ]);
  return { filter, days, themes, ...list };
};

const TONE = { promoter: "success", passive: undefined, detractor: "critical" } as const;
const THEME_TABS: { category: Category; label: string }[] = [
  { category: "detractor", label: "Detractors" },
  { category: "passive", label: "Passives" },
  { category: "promoter", label: "Promoters" },
];
const THEMES_SHOWN = 8;
const PERIODS = [
  { label: "Last 30 days", value: "30" },
  { label: "Last 90 days", value: "90" },
  { label: "Last 365 days", value: "365" },
];

export default function Comments() {
  const { filter, days, themes, rows, total, page, pages } = useLoaderData<typeof loader>();
  // Everything but the list's own search, category and page carries over from link to link.
  const kept = {
    ...(filter.locale ? { locale: filter.locale } : {}),
    ...(days !== 90 ? { days: String(days) } : {}),
  };
  const pageUrl = (to: number) => {
    const params = new URLSearchParams({
      ...(filter.search ? { search: filter.search } : {}),
      ...(filter.category ? { category: filter.category } : {}),
      ...kept,
    });
    params.set("page", String(to));
    return `?${params}`;
  };
  const themeUrl = (theme: CommentTheme, themeCategory: Category) =>
    `?${new URLSearchParams({ search: theme.searchTerm, category: themeCategory, ...kept })}`;
  return (
    <Page title="Comments" subtitle={`${total} answers`} backAction={{ url: "/app" }}>
      <BlockStack gap="400">
        <ThemesCard
          key={filter.category ?? ""}
          themes={themes}
          days={days}
          initialCategory={filter.category}
          themeUrl={themeUrl}
          periodUrl={(value) =>
            `?${new URLSearchParams({
              ...(filter.search ? { search: filter.search } : {}),
              ...(filter.category ? { category: filter.category } : {}),
              ...kept,
              days: value,
            })}`
          }
        />
        <CommentFilters
          key={`${filter.search ?? ""}|${filter.category ?? ""}`}
          initialSearch={filter.search ?? ""}
          initialCategory={filter.category ?? ""}
          kept={kept}
        />
        {rows.map((row) => (
          <Card key={row.id}>
            <BlockStack gap="200">
              <InlineStack gap="200" blockAlign="center">
                <Badge
                  tone={TONE[row.category as keyof typeof TONE]}
                >{`${row.score} · ${row.category}`}</Badge>
                <Text as="span" tone="subdued" variant="bodySm">
                  {new Date(row.createdAt).toLocaleDateString("en")} · order {row.orderId} · {row.locale} ·{" "}
                  {row.channel}
                </Text>
              </InlineStack>
              {/* Shoppers' text is rendered as text, never as HTML. */}
              <Text as="p">{row.comment ?? "—"}</Text>
            </BlockStack>
          </Card>
        ))}
        <InlineStack align="center">
          <Pagination
            hasPrevious={page > 1}
            previousURL={pageUrl(page - 1)}
            hasNext={page < pages}
            nextURL={pageUrl(page + 1)}
            label={`Page ${page} of ${pages}`}
          />
        </InlineStack>
      </BlockStack>
    </Page>
  );
}

/** The list's search and category; remounted (by key) when a theme link changes them. */
function CommentFilters({
  initialSearch,
  initialCategory,
  kept,
}: {
  initialSearch: string;
  initialCategory: string;
  kept: Record<string, string>;
}) {
  const [search, setSearch] = useState(initialSearch);
  const [category, setCategory] = useState(initialCategory);
  return (
    <Card>
      <Form method="get">
        {Object.entries(kept).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <InlineStack gap="300" blockAlign="end">
          <TextField
            label="Search comments"
            name="search"
            value={search}
            onChange={setSearch}
            autoComplete="off"
          />
          <Select
            label="Category"
            name="category"
            value={category}
            onChange={setCategory}
            options={[
              { label: "All", value: "" },
              { label: "Promoters", value: "promoter" },
              { label: "Passives", value: "passive" },
              { label: "Detractors", value: "detractor" },
            ]}
          />
          <Button submit>Filter</Button>
        </InlineStack>
      </Form>
    </Card>
  );
}

interface ThemesCardProps {
  themes: {
    analyzed: number;
    limit: number;
    sampled: boolean;
    categories: CategoryThemes[];
  };
  days: number;
  initialCategory: Category | undefined;
  themeUrl: (theme: CommentTheme, category: Category) => string;
  periodUrl: (days: string) => string;
}

/** What shoppers talk about, per category: a click narrows the list below to a theme's words. */
function ThemesCard({ themes, days, initialCategory, themeUrl, periodUrl }: ThemesCardProps) {
  const navigate = useNavigate();
  const [selected, setSelected] = useState(
    Math.max(
      0,
      THEME_TABS.findIndex((tab) => tab.category === initialCategory),
    ),
  );
  const tab = THEME_TABS[selected] ?? THEME_TABS[0]!;
  const current = themes.categories.find((entry) => entry.category === tab.category);
  const shown = current?.themes.slice(0, THEMES_SHOWN) ?? [];
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="end" gap="300">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              Themes
            </Text>
            <Text as="p" tone="subdued" variant="bodySm">
              {themes.sampled
                ? `From the newest ${themes.analyzed.toLocaleString("en")} comments of the period (more were left out).`
                : `From ${themes.analyzed.toLocaleString("en")} comments of the period.`}{" "}
              Counts are comments; a theme needs at least 2.
            </Text>
          </BlockStack>
          <Select
            label="Themes period"
            labelInline
            options={PERIODS}
            value={String(days)}
            onChange={(value) => navigate(periodUrl(value))}
          />
        </InlineStack>
        <Tabs
          tabs={THEME_TABS.map((entry) => ({
            id: `themes-${entry.category}`,
            content: `${entry.label} (${
              themes.categories.find((found) => found.category === entry.category)?.comments ?? 0
            })`,
          }))}
          selected={selected}
          onSelect={setSelected}
        />
        {shown.length === 0 ? (
          <Text as="p" tone="subdued">
            No theme yet: too few {tab.label.toLowerCase()} wrote comments in this period.
          </Text>
        ) : (
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
            {shown.map((theme) => (
              <BlockStack key={theme.key} gap="100">
                <InlineStack gap="200" blockAlign="baseline" wrap>
                  <Link
                    url={themeUrl(theme, tab.category)}
                    removeUnderline
                    accessibilityLabel={`${theme.label}, ${theme.count} comments: show comments containing “${theme.searchTerm}”`}
                  >
                    <Text as="span" fontWeight="semibold">{`${theme.label} · ${theme.count}`}</Text>
                  </Link>
                  {(theme.kind === "topic" || theme.words.length > 1) && (
                    <Text as="span" tone="subdued" variant="bodySm">
                      {theme.words.slice(0, 6).join(", ")}
                    </Text>
                  )}
                </InlineStack>
                {/* Shoppers' text is rendered as text, never as HTML. */}
                {theme.examples.map((example) => (
                  <Text key={example.id} as="p" tone="subdued" variant="bodySm" truncate>
                    {`“${example.comment}” (${example.locale})`}
                  </Text>
                ))}
              </BlockStack>
            ))}
          </InlineGrid>
        )}
      </BlockStack>
    </Card>
  );
}
