import fc from "fast-check";

// Text a hostile or unlucky client may send: lone surrogates, NUL and other control characters, right-to-left
// overrides, zero-width characters, byte-order marks, emoji (astral, with modifiers and joiners) and long runs.
export const UNICODE_EDGES = [
  "\u0000",
  "\u0001",
  "\u0007",
  "\u001b",
  "\u007f",
  "\ud800",
  "\udfff",
  "\udc00\ud800",
  "\u202e",
  "\u202d",
  "\u2066",
  "\u200f",
  "שלום",
  "مرحبا",
  "\u200b",
  "\u200d",
  "\ufeff",
  "\ufffd",
  "\uffff",
  "👍",
  "👍🏽",
  "👨‍👩‍👧‍👦",
  "🏳️‍🌈",
  "e\u0301",
  "Z̵̡̢͇̝a̴̛͔͉l̸̢̛g̵̨̛o̶̧̊",
  "\r\n",
  "\t",
  "𝕏",
  "’",
  "%00",
  "\\u0000",
  "{{7*7}}",
  "$" + "{7*7}",
  "<script>alert(1)</script>",
  "'; DROP TABLE Response; --",
  "../../etc/passwd",
] as const;

/** One hostile fragment: an edge case above, or any code points (astral ones included). */
export const hostileFragment: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...UNICODE_EDGES) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary-ascii", maxLength: 12 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)) },
);

/** A string of hostile fragments. */
export const hostileText = (maxFragments = 8): fc.Arbitrary<string> =>
  fc.array(hostileFragment, { maxLength: maxFragments }).map((parts) => parts.join(""));

/** Counts code points, as people (and the comment limit) count characters. */
export const codePoints = (text: string): number => [...text].length;
