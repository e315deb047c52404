import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Button,
  Card,
  EmptyState,
  IndexTable,
  InlineStack,
  Page,
  Text,
} from "@shopify/polaris";
import { z } from "zod";
import { db } from "~/adapters/db/client.server";
import { requireAdmin } from "~/adapters/http/admin-auth.server";
import { jsonResponse, toErrorResponse } from "~/adapters/http/json.server";
import { listDataRequests, markDataRequestDelivered } from "~/services/data-requests.server";
import { DATA_REQUEST_DEADLINE_DAYS } from "~/domain/data-request";
import { ServiceError } from "~/services/service-error";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shopDomain } = await requireAdmin(request);
  const requests = await listDataRequests(db(), shopDomain);
  return { requests, now: new Date().toISOString() };
};

const actionSchema = z.object({ id: z.string().min(1).max(64) });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shopDomain } = await requireAdmin(request);
  try {
    const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
    if (!parsed.success)
      throw new ServiceError("invalid", { field: "id", message: "id names the data request" });
    await markDataRequestDelivered(db(), shopDomain, parsed.data.id);
    return jsonResponse({ ok: true });
  } catch (error) {
    return toErrorResponse(error);
  }
};

export default function DataRequests() {
  const { requests, now } = useLoaderData<typeof loader>();
  return (
    <Page title="Customer data requests" backAction={{ url: "/app" }}>
      <BlockStack gap="400">
        <Text as="p" tone="subdued">
          When a customer asks your store for their data, Shopify tells NPS Sync. Download what the app holds
          about them (answers, comments, follow-up notes, order facts) and send it to them within{" "}
          {DATA_REQUEST_DEADLINE_DAYS} days.
        </Text>
        <Card padding="0">
          {requests.length === 0 ? (
            <EmptyState heading="No data requests" image="">
              <p>Requests from customers appear here.</p>
            </EmptyState>
          ) : (
            <IndexTable
              resourceName={{ singular: "data request", plural: "data requests" }}
              itemCount={requests.length}
              selectable={false}
              headings={[
                { title: "Customer" },
                { title: "Received" },
                { title: "Due by" },
                { title: "Status" },
                { title: "" },
              ]}
            >
              {requests.map((request, index) => {
                const overdue = !request.deliveredAt && request.dueBy.toISOString() < now;
                return (
                  <IndexTable.Row id={request.id} key={request.id} position={index}>
                    <IndexTable.Cell>Customer {request.customerId}</IndexTable.Cell>
                    <IndexTable.Cell>{request.receivedAt.toISOString().slice(0, 10)}</IndexTable.Cell>
                    <IndexTable.Cell>{request.dueBy.toISOString().slice(0, 10)}</IndexTable.Cell>
                    <IndexTable.Cell>
                      {request.deliveredAt ? (
                        <Badge tone="success">{`Delivered ${request.deliveredAt.toISOString().slice(0, 10)}`}</Badge>
                      ) : (
                        <Badge tone={overdue ? "critical" : "attention"}>
                          {overdue ? "Overdue" : "Open"}
                        </Badge>
                      )}
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <InlineStack gap="200">
                        <Button url={`/app/data-requests/${request.id}.json`} target="_blank">
                          Download JSON
                        </Button>
                        {!request.deliveredAt && (
                          <Form method="post">
                            <input type="hidden" name="id" value={request.id} />
                            <Button submit>Mark as sent</Button>
                          </Form>
                        )}
                      </InlineStack>
                    </IndexTable.Cell>
                  </IndexTable.Row>
                );
              })}
            </IndexTable>
          )}
        </Card>
      </BlockStack>
    </Page>
  );
}
