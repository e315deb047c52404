import { type Category, CATEGORIES } from "./category";

export interface TagNames {
  promoter: string;
  passive: string;
  detractor: string;
}

export interface TagPlan {
  add: string[];
  remove: string[];
}

const sameTag = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * Add the category's tag, remove the other two (and the tags of earlier tag-name settings, if given). With the
 * customer's current tags, entries that would change nothing are left out — Shopify compares tags case-insensitively.
 */
export function planCategoryTags(
  category: Category,
  names: TagNames,
  options: { currentTags?: string[]; previousNames?: TagNames[] } = {},
): TagPlan {
  const wanted = names[category];
  const unwanted = [
    ...CATEGORIES.filter((other) => other !== category).map((other) => names[other]),
    ...(options.previousNames ?? []).flatMap((previous) => CATEGORIES.map((other) => previous[other])),
  ].filter(
    (tag, index, all) => !sameTag(tag, wanted) && all.findIndex((other) => sameTag(other, tag)) === index,
  );
  const current = options.currentTags;
  if (!current) return { add: [wanted], remove: unwanted };
  return {
    add: current.some((tag) => sameTag(tag, wanted)) ? [] : [wanted],
    remove: unwanted.filter((tag) => current.some((existing) => sameTag(existing, tag))),
  };
}

/** The customer's tags after a plan: merchant tags kept, duplicates (case-insensitive) folded. */
export function applyTagPlan(currentTags: string[], plan: TagPlan): string[] {
  const result: string[] = [];
  for (const tag of [...currentTags, ...plan.add]) {
    const trimmed = tag.trim();
    if (!trimmed || plan.remove.some((removed) => sameTag(removed, trimmed))) continue;
    if (!result.some((kept) => sameTag(kept, trimmed))) result.push(trimmed);
  }
  return result;
}

/**
 * The whole tag list to write with customerUpdate (which replaces every tag) to move a customer with `currentTags`
 * to `category`: the merchant's tags kept, ours swapped. Null when the tags already say so — the write then leaves
 * tags out and cannot overwrite anything.
 */
export function categoryTagsToWrite(
  category: Category,
  names: TagNames,
  currentTags: string[],
  options: { previousNames?: TagNames[] } = {},
): string[] | null {
  const plan = planCategoryTags(category, names, { currentTags, previousNames: options.previousNames });
  return plan.add.length === 0 && plan.remove.length === 0 ? null : applyTagPlan(currentTags, plan);
}

export interface MetafieldInput {
  namespace: "nps";
  key: "score" | "category" | "responded_at" | "last_comment";
  type: "number_integer" | "single_line_text_field" | "date_time" | "multi_line_text_field";
  value: string;
}

export const LAST_COMMENT_LIMIT = 255;

function truncate(text: string, limit: number): string {
  const characters = [...text];
  return characters.length <= limit ? text : `${characters.slice(0, limit - 1).join("")}…`;
}

export function planNpsMetafields(answer: {
  score: number;
  category: Category;
  respondedAt: Date;
  comment: string | null;
}): MetafieldInput[] {
  const fields: MetafieldInput[] = [
    { namespace: "nps", key: "score", type: "number_integer", value: String(answer.score) },
    { namespace: "nps", key: "category", type: "single_line_text_field", value: answer.category },
    { namespace: "nps", key: "responded_at", type: "date_time", value: answer.respondedAt.toISOString() },
  ];
  if (answer.comment) {
    fields.push({
      namespace: "nps",
      key: "last_comment",
      type: "multi_line_text_field",
      value: truncate(answer.comment, LAST_COMMENT_LIMIT),
    });
  }
  return fields;
}

export const NPS_METAFIELD_DEFINITIONS = [
  {
    namespace: "nps",
    key: "score",
    type: "number_integer",
    name: "NPS score",
    description: "Latest answer, 0–10",
  },
  {
    namespace: "nps",
    key: "category",
    type: "single_line_text_field",
    name: "NPS category",
    description: "promoter, passive or detractor",
  },
  {
    namespace: "nps",
    key: "responded_at",
    type: "date_time",
    name: "NPS answered at",
    description: "When the latest answer was given",
  },
  {
    namespace: "nps",
    key: "last_comment",
    type: "multi_line_text_field",
    name: "NPS last comment",
    description: "The latest comment, shortened to 255 characters",
  },
] as const;

/** On orders: the survey link merchants put into Shopify's emails as {{ order.metafields.nps.survey_url }}. */
export const ORDER_METAFIELD_DEFINITIONS = [
  {
    namespace: "nps",
    key: "survey_url",
    type: "url",
    name: "NPS survey link",
    description: "Signed link to this order's NPS survey, for shipping emails and Flow",
  },
] as const;
