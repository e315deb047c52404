import { z } from "zod";
import type { Category } from "./category";
import { customerGid } from "./order-gid";
import { type MetafieldInput, planCategoryTags, planNpsMetafields, type TagNames } from "./tag-plan";

// The pure part of "re-tag all customers": the JSONL lines of the three bulk mutations per part of the shop's
// answered customers, what the results file says, and how far a run has come.

/** tags_add: tagsAdd of the category's tag · tags_remove: tagsRemove of every other NPS tag name, current and
 * earlier · metafields: customerUpdate with the nps metafields and no `tags`. */
export const RETAG_KINDS = ["tags_add", "tags_remove", "metafields"] as const;
export type RetagKind = (typeof RETAG_KINDS)[number];

export const RETAG_KIND_LABELS: Record<RetagKind, string> = {
  tags_add: "adding the category tag",
  tags_remove: "removing other NPS tags",
  metafields: "writing nps metafields",
};

export interface RetagCustomer {
  customerId: string;
  category: Category;
  score: number;
  respondedAt: Date;
  comment: string | null;
}

export type RetagLine =
  | { id: string; tags: string[] }
  | { input: { id: string; metafields: MetafieldInput[] } };

/** The variables of one line of `kind` for one customer. */
export function retagLine(
  kind: RetagKind,
  customer: RetagCustomer,
  names: TagNames,
  previousNames: TagNames[],
): RetagLine {
  const id = customerGid(customer.customerId);
  if (kind === "metafields") {
    return {
      input: {
        id,
        metafields: planNpsMetafields({
          score: customer.score,
          category: customer.category,
          respondedAt: customer.respondedAt,
          comment: customer.comment,
        }),
      },
    };
  }
  const plan = planCategoryTags(customer.category, names, { previousNames });
  return { id, tags: kind === "tags_add" ? plan.add : plan.remove };
}

export function toJsonl(lines: readonly RetagLine[]): string {
  return lines.map((line) => `${JSON.stringify(line)}\n`).join("");
}

function sameNames(a: TagNames, b: TagNames): boolean {
  return a.promoter === b.promoter && a.passive === b.passive && a.detractor === b.detractor;
}

export function tagNamesChanged(before: TagNames, after: TagNames): boolean {
  return !sameNames(before, after);
}

/** Earlier tag names, oldest first, without the current ones and without repeats. */
export function earlierTagNames(history: readonly TagNames[], current: TagNames): TagNames[] {
  const result: TagNames[] = [];
  for (const names of history) {
    if (sameNames(names, current) || result.some((kept) => sameNames(kept, names))) continue;
    result.push(names);
  }
  return result;
}

const userErrorSchema = z.object({
  field: z.array(z.string()).nullish(),
  message: z.string(),
});
const resultLineSchema = z.object({
  data: z.record(z.object({ userErrors: z.array(userErrorSchema).optional() }).nullable()).nullish(),
  errors: z.array(z.object({ message: z.string() })).nullish(),
  __lineNumber: z.number().int().nonnegative().optional(),
});

export interface ResultSummary {
  lines: number;
  failed: number;
  /** The first problems, as "line N: field: message" (line numbers from 1). */
  sample: string[];
}

export const ERROR_SAMPLE_SIZE = 10;

/** Reads a bulk mutation's results file: a line failed when it has GraphQL errors or user errors. */
export function summarizeResults(jsonl: string, sampleSize = ERROR_SAMPLE_SIZE): ResultSummary {
  const summary: ResultSummary = { lines: 0, failed: 0, sample: [] };
  for (const [index, raw] of jsonl.split("\n").entries()) {
    if (raw.trim() === "") continue;
    summary.lines += 1;
    let parsed: z.infer<typeof resultLineSchema> | null = null;
    try {
      const result = resultLineSchema.safeParse(JSON.parse(raw));
      parsed = result.success ? result.data : null;
    } catch {
      parsed = null;
    }
    const lineNumber = (parsed?.__lineNumber ?? index) + 1;
    const problems = !parsed
      ? ["unreadable result line"]
      : [
          ...(parsed.errors ?? []).map((error) => error.message),
          ...Object.values(parsed.data ?? {}).flatMap((payload) =>
            (payload?.userErrors ?? []).map(
              (error) => `${error.field?.join(".") ?? "input"}: ${error.message}`,
            ),
          ),
        ];
    if (problems.length === 0) continue;
    summary.failed += 1;
    if (summary.sample.length < sampleSize) summary.sample.push(`line ${lineNumber}: ${problems.join("; ")}`);
  }
  return summary;
}

export const retagOperationSchema = z.object({
  part: z.number().int().nonnegative(),
  kind: z.enum(RETAG_KINDS),
  /** The part holds the answered customers whose id sorts after `after` (all from the first, when null)… */
  after: z.string().nullable(),
  /** …up to and including `last`. */
  last: z.string(),
  status: z.enum(["pending", "submitted", "completed", "failed"]),
  lines: z.number().int().nonnegative(),
  bulkOperationId: z.string().nullable(),
  objectCount: z.number().int().nonnegative(),
  failedLines: z.number().int().nonnegative(),
  /** Submissions so far: a refused file or an operation Shopify stopped is tried again up to a limit. */
  attempts: z.number().int().nonnegative(),
  error: z.string().nullable(),
});
export type RetagOperation = z.infer<typeof retagOperationSchema>;

export function parseRetagOperations(json: string): RetagOperation[] {
  return z.array(retagOperationSchema).parse(JSON.parse(json));
}

/** The operations of a run: one per part and kind, parts in customer id order. */
export function planRetagOperations(
  parts: readonly { after: string | null; last: string }[],
): RetagOperation[] {
  return parts.flatMap((part, index) =>
    RETAG_KINDS.map((kind) => ({
      part: index,
      kind,
      after: part.after,
      last: part.last,
      status: "pending" as const,
      lines: 0,
      bulkOperationId: null,
      objectCount: 0,
      failedLines: 0,
      attempts: 0,
      error: null,
    })),
  );
}

export interface RetagProgress {
  /** Lines Shopify has run so far, over all operations. */
  processed: number;
  /** Lines the run will send: three per answered customer. */
  total: number;
  failedLines: number;
}

export function retagProgress(customers: number, operations: readonly RetagOperation[]): RetagProgress {
  const processed = operations.reduce(
    (sum, operation) => sum + (operation.status === "completed" ? operation.lines : operation.objectCount),
    0,
  );
  const total = Math.max(customers * RETAG_KINDS.length, processed);
  return {
    processed,
    total,
    failedLines: operations.reduce((sum, operation) => sum + operation.failedLines, 0),
  };
}
