import { writeFileSync } from "node:fs";
import { makeCheckoutSessionToken } from "../emulator/session-tokens";
import { buildWebhookRequest } from "../emulator/webhooks";
import { orderPayload } from "../factories/order-payload";

// One writer process of tests/integration/faults-concurrent-writers: it waits for a shared start time, then sends
// its orders' webhooks and answers through the app's own routes, on the database named by DATABASE_URL (the same
// one its sibling processes write to), and writes every HTTP status it got to WRITER_OUTPUT as JSON.

export interface WriterTask {
  orderId: number;
  customerId: number;
  score: number;
  /** Whether this writer also delivers the order's orders/create webhook (the order's owner does). */
  webhook: boolean;
}

export interface WriterResult {
  orderId: number;
  kind: "webhook" | "answer";
  status: number;
  body: string;
  score: number;
}

type Handler = (args: {
  request: Request;
  params: Record<string, string>;
  context: Record<string, unknown>;
}) => unknown;

async function call(handler: Handler, request: Request): Promise<Response> {
  try {
    return (await handler({ request, params: {}, context: {} })) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function main() {
  const shop = process.env.WRITER_SHOP ?? "";
  const tasks = JSON.parse(process.env.WRITER_TASKS ?? "[]") as WriterTask[];
  const startAt = Number(process.env.WRITER_START_AT ?? "0");
  const output = process.env.WRITER_OUTPUT ?? "";
  const apiKey = process.env.SHOPIFY_API_KEY ?? "";
  const apiSecret = process.env.SHOPIFY_API_SECRET ?? "";
  const appUrl = process.env.SHOPIFY_APP_URL ?? "";
  const ordersCreate = (await import("../../app/routes/webhooks.orders.create")).action as Handler;
  const answers = (await import("../../app/routes/api.checkout.responses")).action as Handler;
  const { db } = await import("../../app/adapters/db/client.server");
  await db().shop.count(); // connected before the start, so that the writers really overlap
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));

  const results: WriterResult[] = [];
  for (const task of tasks) {
    if (task.webhook) {
      const response = await call(
        ordersCreate,
        buildWebhookRequest(`${appUrl}/webhooks/orders/create`, {
          topic: "orders/create",
          shop,
          payload: orderPayload({ id: task.orderId, customerId: task.customerId }),
          apiSecret,
          webhookId: `writer-${task.orderId}`,
        }),
      );
      results.push({
        orderId: task.orderId,
        kind: "webhook",
        status: response.status,
        body: await response.text(),
        score: task.score,
      });
    }
    const token = await makeCheckoutSessionToken({ shop, apiKey, apiSecret });
    const response = await call(
      answers,
      new Request(`${appUrl}/api/checkout/responses`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ orderId: `gid://shopify/Order/${task.orderId}`, score: task.score }),
      }),
    );
    results.push({
      orderId: task.orderId,
      kind: "answer",
      status: response.status,
      body: await response.text(),
      score: task.score,
    });
  }
  writeFileSync(output, JSON.stringify(results));
  await db().$disconnect();
}

await main();
