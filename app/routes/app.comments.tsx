import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Button,
  Card,
  InlineStack,
  Page,
  Pagination,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { db } from "~/adapters/db/client.server";
import { requireAdmin } from "~/adapters/http/admin-auth.server";
import { commentFilterSchema, listComments } from "~/services/comments.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shopDomain } = await requireAdmin(request);
  const filter = commentFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return { filter, ...(await listComments(db(), shopDomain, filter)) };
};

const TONE = { promoter: "success", passive: undefined, detractor: "critical" } as const;

export default function Comments() {
  const { filter, rows, total, page, pages } = useLoaderData<typeof loader>();
  const [search, setSearch] = useState(filter.search ?? "");
  const [category, setCategory] = useState(filter.category ?? "");
  const pageUrl = (to: number) => {
    const params = new URLSearchParams({
      ...(filter.search ? { search: filter.search } : {}),
      ...(filter.category ? { category: filter.category } : {}),
    });
    params.set("page", String(to));
    return `?${params}`;
  };
  return (
    <Page title="Comments" subtitle={`${total} answers`} backAction={{ url: "/app" }}>
      <BlockStack gap="400">
        <Card>
          <Form method="get">
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
