import type { Database } from "~/adapters/db/client.server";

const COLUMNS = [
  "response_id",
  "created_at",
  "order_id",
  "customer_id",
  "score",
  "category",
  "comment",
  "csat",
  "ces",
  "channel",
  "locale",
  "survey_version",
  "order_value",
  "currency",
  "sales_channel",
  "country",
  "discount_used",
  "item_count",
  "customer_orders_count",
  "returning_customer",
] as const;

/** RFC 4180 quoting; a leading =, +, - or @ is prefixed so spreadsheets never run a comment as a formula. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(text) && typeof value === "string") text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const BATCH = 1000;

const EXPORTED = {
  id: true,
  createdAt: true,
  orderId: true,
  customerId: true,
  score: true,
  category: true,
  comment: true,
  csat: true,
  ces: true,
  channel: true,
  locale: true,
  surveyVersion: true,
  orderValue: true,
  currencyCode: true,
  salesChannel: true,
  countryCode: true,
  discountUsed: true,
  itemCount: true,
  customerOrdersCount: true,
  returningCustomer: true,
} as const;

/**
 * All confirmed answers of a shop as CSV, oldest first, read in keyset pages on (createdAt, id) so memory stays
 * flat at any size. The key follows the (shopDomain, status, createdAt) index: a page is a range read of it, never
 * a sort of every answer.
 */
export function responsesCsvStream(
  database: Database,
  shopDomain: string,
  pageSize = BATCH,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: { createdAt: Date; id: string } | null = null;
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(`${COLUMNS.join(",")}\r\n`));
        return;
      }
      const after = cursor
        ? {
            createdAt: { gte: cursor.createdAt },
            OR: [{ createdAt: { gt: cursor.createdAt } }, { id: { gt: cursor.id } }],
          }
        : {};
      const rows = await database.response.findMany({
        where: { shopDomain, status: "confirmed", ...after },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: EXPORTED,
        take: pageSize,
      });
      if (rows.length === 0) {
        controller.close();
        return;
      }
      const last = rows[rows.length - 1];
      cursor = last ? { createdAt: last.createdAt, id: last.id } : null;
      const text = rows
        .map((row) =>
          [
            row.id,
            row.createdAt,
            row.orderId,
            row.customerId,
            row.score,
            row.category,
            row.comment,
            row.csat,
            row.ces,
            row.channel,
            row.locale,
            row.surveyVersion,
            row.orderValue,
            row.currencyCode,
            row.salesChannel,
            row.countryCode,
            row.discountUsed,
            row.itemCount,
            row.customerOrdersCount,
            row.returningCustomer,
          ]
            .map(csvCell)
            .join(","),
        )
        .join("\r\n");
      controller.enqueue(encoder.encode(`${text}\r\n`));
    },
  });
}
