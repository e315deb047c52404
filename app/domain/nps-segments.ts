import { type Category, CATEGORIES } from "./category";
import type { TagNames } from "./tag-plan";

// The three customer segments the app makes in Shopify, one per category, each filtering on the category's tag.

export const NPS_SEGMENT_NAMES: Record<Category, string> = {
  promoter: "NPS promoters",
  passive: "NPS passives",
  detractor: "NPS detractors",
};

/**
 * A string value of Shopify's segment query language: wrapped in single quotes, with single quotes inside escaped
 * by a backslash (Shopify's example: '\'VIP\''), and so the backslash itself too.
 */
export function segmentString(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

export function segmentQueryForTag(tag: string): string {
  return `customer_tags CONTAINS ${segmentString(tag)}`;
}

export interface NpsSegmentSpec {
  category: Category;
  name: string;
  query: string;
}

/** The three segments as the tag names want them. */
export function npsSegmentSpecs(names: TagNames): NpsSegmentSpec[] {
  return CATEGORIES.map((category) => ({
    category,
    name: NPS_SEGMENT_NAMES[category],
    query: segmentQueryForTag(names[category]),
  }));
}

/** Whether a settings change touches what the segments filter on (the segment language compares case-sensitively). */
export function tagNamesChanged(before: TagNames, after: TagNames): boolean {
  return CATEGORIES.some((category) => before[category] !== after[category]);
}
