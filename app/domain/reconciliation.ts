import { z } from "zod";
import { type Category, CATEGORIES } from "./category";
import type { TagNames } from "./tag-plan";

// Reconciliation compares the category the app files each answered customer under with the category tags Shopify
// holds. It runs in two phases, each a series of pages, so a long shop is checked in many small jobs:
// 1. scan: for each category tag, the customers Shopify finds with `tag:'<tag>'`. Each is compared once (in the
//    scan of the first category tag it holds) against the app's category, and marked as compared.
// 2. unseen: the app's answered customers that no scan found — they hold no category tag at all. Shopify is asked
//    for them by id: the ones it no longer has are "gone", the others have lost their tag.
// Drift — a customer filed as X that lacks tag X or holds another category tag — is repaired by the customer's
// customer_category job, which writes the full state.

/** Shopify's page size limit, for customers(first:) and nodes(ids:). */
export const RECONCILE_PAGE_SIZE = 250;

const sameTag = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * Shopify's search syntax for customers holding exactly this tag (tag matching ignores case). The value is quoted
 * (tags may hold spaces and colons) with backslash and quote escaped by a backslash.
 */
export function customerTagSearch(tag: string): string {
  return `tag:'${tag.trim().replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** The categories whose tag the customer holds, in CATEGORIES order. */
export function heldCategories(tags: readonly string[], names: TagNames): Category[] {
  return CATEGORIES.filter((category) => tags.some((tag) => sameTag(tag, names[category])));
}

/** In step: the customer holds its category's tag and no other category tag (merchant tags do not matter). */
export function tagsMatchCategory(category: Category, tags: readonly string[], names: TagNames): boolean {
  const held = heldCategories(tags, names);
  return held.length === 1 && held[0] === category;
}

export interface ShopifyCustomerTags {
  customerId: string;
  tags: readonly string[];
}

export interface ScanPageInput {
  /** The category whose tag this page was searched for. */
  scanned: Category;
  customers: readonly ShopifyCustomerTags[];
  names: TagNames;
  /** The app's category of each customer on the page that has a confirmed answer. */
  categories: ReadonlyMap<string, Category>;
  /** Customers this run compared already (on an earlier page or scan). */
  compared: ReadonlySet<string>;
  /** Customers with a customer_category job still to run: their tags are on their way, not drifted. */
  inFlight: ReadonlySet<string>;
}

export interface ScanPageResult {
  /** Customers compared on this page, to be marked. */
  compared: string[];
  drifted: string[];
  /** Customers holding a category tag that the app has no answer of: left as they are. */
  untracked: string[];
}

export function assessScanPage(input: ScanPageInput): ScanPageResult {
  const result: ScanPageResult = { compared: [], drifted: [], untracked: [] };
  for (const customer of input.customers) {
    const held = heldCategories(customer.tags, input.names);
    // Compared once, in the scan of the first category tag it holds; a search hit without the tag is stale.
    if (held[0] !== input.scanned || input.compared.has(customer.customerId)) continue;
    if (result.compared.includes(customer.customerId)) continue;
    const category = input.categories.get(customer.customerId);
    if (!category) {
      result.untracked.push(customer.customerId);
      continue;
    }
    result.compared.push(customer.customerId);
    if (input.inFlight.has(customer.customerId)) continue;
    if (!tagsMatchCategory(category, customer.tags, input.names)) result.drifted.push(customer.customerId);
  }
  return result;
}

export interface UnseenInput {
  /** Answered customers no scan found, with the app's category. */
  candidates: readonly { customerId: string; category: Category }[];
  /** What Shopify answered by id; a customer missing here is one Shopify no longer has. */
  found: ReadonlyMap<string, readonly string[]>;
  names: TagNames;
  inFlight: ReadonlySet<string>;
}

export interface UnseenResult {
  gone: string[];
  drifted: string[];
}

export function assessUnseen(input: UnseenInput): UnseenResult {
  const result: UnseenResult = { gone: [], drifted: [] };
  for (const { customerId, category } of input.candidates) {
    const tags = input.found.get(customerId);
    if (!tags) result.gone.push(customerId);
    else if (!input.inFlight.has(customerId) && !tagsMatchCategory(category, tags, input.names))
      result.drifted.push(customerId);
  }
  return result;
}

// Where a run is: the scan of one category's tag at a Shopify cursor, or the unseen phase after a customer id.
export const reconcilePositionSchema = z.discriminatedUnion("phase", [
  z.object({
    phase: z.literal("scan"),
    category: z.enum(CATEGORIES),
    cursor: z.string().max(1000).nullable(),
  }),
  z.object({ phase: z.literal("unseen"), after: z.string().max(100).nullable() }),
]);
export type ReconcilePosition = z.infer<typeof reconcilePositionSchema>;

export const RECONCILE_START: ReconcilePosition = { phase: "scan", category: CATEGORIES[0], cursor: null };

export const reconcilePayloadSchema = z.object({
  runId: z.string().min(1).max(100),
  step: z.number().int().min(0),
  position: reconcilePositionSchema.default(RECONCILE_START),
  /** Customers per page (Shopify's most by default; smaller pages make smaller slices). */
  pageSize: z.number().int().min(1).max(RECONCILE_PAGE_SIZE).default(RECONCILE_PAGE_SIZE),
});
export type ReconcilePayload = z.infer<typeof reconcilePayloadSchema>;

/** After one scan page: the next page of the same tag, the next tag's first page, or the unseen phase. */
export function afterScanPage(
  category: Category,
  page: { hasNextPage: boolean; endCursor?: string | null },
): ReconcilePosition {
  if (page.hasNextPage && page.endCursor) return { phase: "scan", category, cursor: page.endCursor };
  const next = CATEGORIES[CATEGORIES.indexOf(category) + 1];
  return next ? { phase: "scan", category: next, cursor: null } : { phase: "unseen", after: null };
}

/** After one batch of the unseen phase (customers in id order): the next batch, or null when the run is done. */
export function afterUnseenBatch(
  customerIds: readonly string[],
  batchSize: number,
): ReconcilePosition | null {
  const last = customerIds.at(-1);
  return last !== undefined && customerIds.length >= batchSize ? { phase: "unseen", after: last } : null;
}

export interface ReconciliationTotals {
  checked: number;
  drifted: number;
  repaired: number;
  gone: number;
}
