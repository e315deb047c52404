// Text from outside that the databases cannot hold as it is: a lone UTF-16 surrogate (half an emoji, e.g. from
// text cut at a code-unit limit) cannot be encoded as UTF-8, and PostgreSQL refuses NUL in text.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Replaces each lone surrogate with U+FFFD, as any UTF-8 encoder does. */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, "\ufffd");
}

/** Well-formed and without NUL characters: storable in both databases. */
export function storableText(text: string): string {
  return wellFormed(text).replaceAll("\u0000", "");
}

/** The same JSON value with every string (keys too) made storable. */
export function storableJson(value: unknown): unknown {
  if (typeof value === "string") return storableText(value);
  if (Array.isArray(value)) return value.map(storableJson);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [storableText(key), storableJson(item)]),
    );
  }
  return value;
}
