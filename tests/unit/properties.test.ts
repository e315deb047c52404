import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { signInvitationToken, verifyInvitationToken } from "~/domain/invitation-token";
import { parseOrderId } from "~/domain/order-gid";
import { fieldErrorsFrom, MAX_COMMENT_LENGTH, surveyAnswerSchema } from "~/domain/survey-answer";
import { surveySettingsSchema } from "~/domain/survey-settings";
import { storableJson, storableText, wellFormed } from "~/domain/text";
import { codePoints, hostileFragment, hostileText } from "../support/hostile-input";

// Property-based tests of the zod schemas and the pure functions hostile input reaches first. Seeded, so every
// run checks the same cases; a failure prints the seed and the shrunk counterexample.
const SEED = 20_261_125;
const check = <T>(property: fc.IProperty<T>, numRuns = 500) => fc.assert(property, { seed: SEED, numRuns });

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const ANSWER_FIELDS = new Set(["body", "orderId", "score", "comment", "csat", "ces", "locale"]);
const ORDER_ID = /^[1-9]\d{0,19}$/;

const numericId = fc
  .tuple(fc.integer({ min: 1, max: 9 }), fc.string({ unit: fc.constantFrom(..."0123456789"), maxLength: 19 }))
  .map(([first, rest]) => `${first}${rest}`);

const orderIdInput = fc.oneof(
  numericId,
  numericId.map((id) => `gid://shopify/Order/${id}`),
  numericId.map((id) => `gid://shopify/OrderIdentity/${id}`),
  numericId.map((id) => `gid://shopify/Customer/${id}`),
  fc.constantFrom("0", "01001", "1".repeat(21), "gid://shopify/Order/", "-5", "1e3", " 1001 ", "１００１"),
  hostileText(),
  fc.anything(),
);

const integerLike = (min: number, max: number) =>
  fc.oneof(
    fc.integer({ min: min - 3, max: max + 3 }),
    fc.double(),
    fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 2 ** 53, 9.5, "9", "", true, null),
    fc.anything(),
  );

const commentInput = fc.oneof(
  hostileText(12),
  fc.string({ unit: "grapheme", maxLength: 50 }),
  fc
    .tuple(
      fc.integer({ min: MAX_COMMENT_LENGTH - 3, max: MAX_COMMENT_LENGTH + 3 }),
      fc.constantFrom("a", "é", "👍"),
    )
    .map(([length, character]) => character.repeat(length)),
  fc.constantFrom(null, undefined, 5, [], {}, "   "),
);

const localeInput = fc.oneof(
  fc.constantFrom("en", "fr-CA", "zh-Hant-TW", "x", "e", "fr_CA", "en-", "a".repeat(40), "de-DE-1996"),
  fc.stringMatching(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/),
  hostileText(3),
  fc.anything(),
);

const answerLike = fc.record(
  {
    orderId: orderIdInput,
    score: integerLike(0, 10),
    comment: commentInput,
    csat: integerLike(1, 5),
    ces: integerLike(1, 7),
    locale: localeInput,
  },
  { requiredKeys: [] },
);

const answerInput = fc.oneof(
  { weight: 4, arbitrary: answerLike },
  {
    weight: 1,
    arbitrary: fc
      .tuple(answerLike, fc.dictionary(fc.oneof(hostileFragment, fc.string()), fc.anything(), { maxKeys: 2 }))
      .map(([answer, extra]) => ({ ...extra, ...answer })),
  },
  { weight: 1, arbitrary: fc.anything() },
);

describe("the survey answer schema under any input", () => {
  it("never throws, and either gives a valid answer or field errors that each name a field", () => {
    check(
      fc.property(answerInput, (input) => {
        const result = surveyAnswerSchema.safeParse(input);
        if (result.success) {
          const answer = result.data;
          expect(answer.orderId).toMatch(ORDER_ID);
          expect(Number.isInteger(answer.score) && answer.score >= 0 && answer.score <= 10).toBe(true);
          if (answer.comment !== undefined) {
            expect(codePoints(answer.comment)).toBeLessThanOrEqual(MAX_COMMENT_LENGTH);
            expect(answer.comment).toBe(answer.comment.trim());
            expect(answer.comment).not.toBe("");
            expect(answer.comment).not.toContain("\u0000");
            expect(answer.comment).not.toMatch(LONE_SURROGATE);
          }
          if (answer.csat !== undefined) expect([1, 2, 3, 4, 5]).toContain(answer.csat);
          if (answer.ces !== undefined) expect([1, 2, 3, 4, 5, 6, 7]).toContain(answer.ces);
          if (answer.locale !== undefined) expect(answer.locale.length).toBeLessThanOrEqual(35);
          return;
        }
        const errors = fieldErrorsFrom(result.error);
        expect(errors.length).toBeGreaterThan(0);
        const unknownKeys =
          typeof input === "object" && input !== null && !Array.isArray(input)
            ? Object.keys(input).filter((key) => !ANSWER_FIELDS.has(key))
            : [];
        for (const error of errors) {
          expect(error.field).not.toBe("");
          expect(error.message.trim()).not.toBe("");
          if (/^unknown field/.test(error.message)) {
            // every unknown key is named, the empty one as ""
            for (const key of unknownKeys) expect(error.field).toContain(key === "" ? '""' : key);
          } else {
            expect(ANSWER_FIELDS.has(error.field)).toBe(true);
          }
        }
      }),
      2000,
    );
  });

  it("accepts every well-formed answer and gives back its order id, score and trimmed comment", () => {
    const comment = fc
      .string({ unit: "grapheme", maxLength: 40 })
      .filter((text) => !text.includes("\u0000") && text.trim() !== "");
    check(
      fc.property(
        numericId,
        fc.integer({ min: 0, max: 10 }),
        fc.option(comment, { nil: undefined }),
        fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
        fc.option(fc.integer({ min: 1, max: 7 }), { nil: undefined }),
        (id, score, text, csat, ces) => {
          const parsed = surveyAnswerSchema.parse({
            orderId: `gid://shopify/OrderIdentity/${id}`,
            score,
            ...(text !== undefined ? { comment: `  ${text}\n` } : {}),
            ...(csat !== undefined ? { csat } : {}),
            ...(ces !== undefined ? { ces } : {}),
          });
          expect(parsed).toEqual({ orderId: id, score, comment: text?.trim(), csat, ces });
        },
      ),
    );
  });

  it("counts comment length in code points, so 2000 emoji fit and 2001 do not", () => {
    check(
      fc.property(
        fc.integer({ min: 1, max: MAX_COMMENT_LENGTH + 50 }),
        fc.constantFrom("a", "é", "👍", "𝕏", "ש"),
        (length, character) => {
          const result = surveyAnswerSchema.safeParse({
            orderId: "1001",
            score: 5,
            comment: character.repeat(length),
          });
          expect(result.success).toBe(length <= MAX_COMMENT_LENGTH);
          if (!result.success)
            expect(fieldErrorsFrom(result.error)).toEqual([
              { field: "comment", message: expect.stringMatching(/comment/) },
            ]);
        },
      ),
      200,
    );
  });

  it("refuses a comment with a NUL character, naming the comment, wherever the NUL stands", () => {
    check(
      fc.property(hostileText(4), hostileText(4), (before, after) => {
        const result = surveyAnswerSchema.safeParse({
          orderId: "1001",
          score: 5,
          comment: `${before}x\u0000${after}`,
        });
        expect(result.success).toBe(false);
        if (!result.success)
          expect(fieldErrorsFrom(result.error).map((error) => error.field)).toEqual(["comment"]);
      }),
      200,
    );
  });
});

describe("order ids", () => {
  it("are read from the bare number and both order gid forms, with spaces around ignored", () => {
    check(
      fc.property(numericId, fc.constantFrom("", " ", "\n", "\t "), (id, padding) => {
        for (const form of [id, `gid://shopify/Order/${id}`, `gid://shopify/OrderIdentity/${id}`]) {
          expect(parseOrderId(`${padding}${form}${padding}`)).toBe(id);
        }
      }),
    );
  });

  it("are refused in every other form: another gid type, a leading zero, 21 digits, anything appended", () => {
    check(
      fc.property(
        numericId,
        hostileText(2).filter((text) => text.trim() !== ""),
        (id, junk) => {
          expect(parseOrderId(`gid://shopify/Customer/${id}`)).toBeNull();
          expect(parseOrderId(`0${id}`)).toBeNull();
          expect(parseOrderId(`${id}${"1".repeat(21 - id.length)}`)).toBeNull();
          const appended = parseOrderId(`${id}${junk}`);
          if (appended !== null) expect(`${id}${junk}`.trim()).toMatch(ORDER_ID);
        },
      ),
    );
  });

  it("parsed from any string are always the digits the string names", () => {
    check(
      fc.property(
        fc.oneof(
          hostileText(),
          orderIdInput.filter((value) => typeof value === "string"),
        ),
        (value) => {
          const text = value as string;
          const id = parseOrderId(text);
          if (id === null) return;
          expect(id).toMatch(ORDER_ID);
          expect([id, `gid://shopify/Order/${id}`, `gid://shopify/OrderIdentity/${id}`]).toContain(
            text.trim(),
          );
        },
      ),
      2000,
    );
  });
});

describe("invitation tokens", () => {
  const SECRET = "nps-test-api-secret";
  const payload = fc.record({
    shop: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,30}\.myshopify\.com$/),
    invitationId: fc.oneof(fc.stringMatching(/^c[a-z0-9]{24}$/), hostileText(6)),
    expiresAt: fc.integer({ min: 1_000_000, max: 4_000_000_000 }),
  });

  it("verify to the payload they were signed with until they expire, then say expired", () => {
    check(
      fc.property(payload, fc.integer({ min: 1, max: 10_000_000 }), (signed, margin) => {
        const token = signInvitationToken(signed, SECRET);
        const before = new Date((signed.expiresAt - margin) * 1000);
        expect(verifyInvitationToken(token, SECRET, before)).toEqual({ ok: true, payload: signed });
        expect(verifyInvitationToken(token, SECRET, new Date(signed.expiresAt * 1000))).toEqual({
          ok: false,
          reason: "expired",
        });
        expect(verifyInvitationToken(token, "another-secret", before)).toEqual({
          ok: false,
          reason: "bad_signature",
        });
      }),
    );
  });

  it("are refused after any single character is changed", () => {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \u0000é👍";
    check(
      fc.property(payload, fc.nat(), fc.constantFrom(...[...alphabet]), (signed, position, replacement) => {
        const token = signInvitationToken(signed, SECRET);
        const index = position % token.length;
        fc.pre(token[index] !== replacement);
        const tampered = `${token.slice(0, index)}${replacement}${token.slice(index + 1)}`;
        const now = new Date((signed.expiresAt - 60) * 1000);
        expect(verifyInvitationToken(tampered, SECRET, now).ok).toBe(false);
      }),
      2000,
    );
  });

  it("never throw on arbitrary text, and never accept it", () => {
    check(
      fc.property(fc.oneof(hostileText(20), fc.string({ maxLength: 2000 }), fc.base64String()), (token) => {
        const result = verifyInvitationToken(token, SECRET, new Date());
        expect(result.ok).toBe(false);
      }),
      1000,
    );
  });
});

const tagName = fc
  .string({ unit: "grapheme", minLength: 1, maxLength: 20 })
  .map((text) => text.replaceAll(",", "").trim())
  .filter((text) => text.length > 0);

const settingsInput = fc.record(
  {
    question: fc.oneof(fc.string({ unit: "grapheme", maxLength: 60 }), hostileText(3)),
    followUp: fc.record(
      { promoter: fc.string({ maxLength: 30 }), passive: fc.string(), detractor: hostileText(2) },
      { requiredKeys: [] },
    ),
    reviewUrl: fc.oneof(fc.webUrl(), fc.string()),
    csat: fc.record({ enabled: fc.boolean(), question: fc.string({ maxLength: 30 }) }, { requiredKeys: [] }),
    channels: fc.record(
      {
        thankYou: fc.boolean(),
        orderStatus: fc.boolean(),
        storefront: fc.boolean(),
        surveyLink: fc.boolean(),
      },
      { requiredKeys: [] },
    ),
    timing: fc.record(
      {
        mode: fc.constantFrom("purchase", "delivery", "both", "never"),
        daysAfterFulfillment: fc.integer({ min: 0, max: 61 }),
        expiresAfterDays: fc.integer({ min: 0, max: 366 }),
      },
      { requiredKeys: [] },
    ),
    frequencyCapDays: fc.integer({ min: -1, max: 731 }),
    samplePercent: fc.oneof(fc.double({ min: -1, max: 101, noNaN: true }), fc.integer({ min: 0, max: 100 })),
    exclusions: fc.record(
      {
        customerTags: fc.array(fc.oneof(tagName, fc.constant(" ")), { maxLength: 4 }),
        minOrderValue: fc.option(fc.double({ min: -1, max: 1e6, noNaN: true })),
        salesChannels: fc.array(fc.constantFrom("Web", " POS ", "shopify_draft_order", ""), { maxLength: 3 }),
        testOrders: fc.boolean(),
      },
      { requiredKeys: [] },
    ),
    includeGuests: fc.boolean(),
    tagNames: fc.record({ promoter: tagName, passive: tagName, detractor: tagName }, { requiredKeys: [] }),
    overrides: fc.dictionary(
      fc.constantFrom("fr", "de", "es", "it", "EN", "pt-BR"),
      fc.record({ question: fc.string({ maxLength: 30 }) }, { requiredKeys: [] }),
      { maxKeys: 2 },
    ),
  },
  { requiredKeys: [] },
);

describe("survey settings", () => {
  it("parse their own output to the same settings, also after a trip through stored JSON", () => {
    check(
      fc.property(
        fc.oneof({ weight: 5, arbitrary: settingsInput }, { weight: 1, arbitrary: fc.anything() }),
        (input) => {
          const first = surveySettingsSchema.safeParse(input);
          if (!first.success) {
            expect(first.error.issues.length).toBeGreaterThan(0);
            return;
          }
          expect(surveySettingsSchema.parse(first.data)).toEqual(first.data);
          expect(surveySettingsSchema.parse(JSON.parse(JSON.stringify(first.data)))).toEqual(first.data);
        },
      ),
      1000,
    );
  });

  it("always leave three different tag names once accepted", () => {
    check(
      fc.property(settingsInput, (input) => {
        const parsed = surveySettingsSchema.safeParse(input);
        if (!parsed.success) return;
        const { promoter, passive, detractor } = parsed.data.tagNames;
        expect(new Set([promoter, passive, detractor].map((name) => name.toLowerCase())).size).toBe(3);
        for (const name of [promoter, passive, detractor]) {
          expect(name).toBe(name.trim());
          expect(name).not.toContain(",");
        }
      }),
      1000,
    );
  });
});

describe("text made storable", () => {
  it("has no lone surrogate and no NUL, changes nothing else, and stays the same when made storable again", () => {
    check(
      fc.property(hostileText(12), (text) => {
        const stored = storableText(text);
        expect(stored).not.toMatch(LONE_SURROGATE);
        expect(stored).not.toContain("\u0000");
        expect(storableText(stored)).toBe(stored);
        expect(stored.length).toBe(wellFormed(text).length - (text.split("\u0000").length - 1));
        if (!LONE_SURROGATE.test(text) && !text.includes("\u0000")) expect(stored).toBe(text);
        // a UTF-8 round trip now keeps the text as it is
        expect(Buffer.from(stored, "utf8").toString("utf8")).toBe(stored);
      }),
      2000,
    );
  });

  it("reaches every string of a JSON value, keys included, and keeps its shape", () => {
    const hostileJson = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        hostileText(4),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie("value"), { maxLength: 4 }),
        fc.dictionary(hostileText(2), tie("value"), { maxKeys: 4 }),
      ),
    })).value;
    check(
      fc.property(hostileJson, (value) => {
        const stored = storableJson(value);
        const texts = (item: unknown): string[] => {
          if (typeof item === "string") return [item];
          if (Array.isArray(item)) return item.flatMap(texts);
          if (item !== null && typeof item === "object")
            return [...Object.keys(item), ...Object.values(item).flatMap(texts)];
          return [];
        };
        for (const text of texts(stored)) {
          expect(text).not.toMatch(LONE_SURROGATE);
          expect(text).not.toContain("\u0000");
        }
        expect(Array.isArray(stored)).toBe(Array.isArray(value));
        expect(typeof stored).toBe(typeof value);
        expect(storableJson(stored)).toEqual(stored);
      }),
      1000,
    );
  });
});
