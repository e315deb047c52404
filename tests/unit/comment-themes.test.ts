import { deu, eng, fra, spa } from "stopword";
import { describe, expect, it } from "vitest";
import { type Category, categoryForScore } from "~/domain/category";
import {
  type CategoryThemes,
  type CommentTheme,
  extractCommentThemes,
  type ThemeComment,
  themeLanguage,
} from "~/domain/comment-themes";
import { generateDemoData } from "../../scripts/demo-data";

let nextId = 0;
function comments(locale: string, category: Category, texts: string[]): ThemeComment[] {
  return texts.map((comment) => ({ id: `c${++nextId}`, comment, category, locale }));
}

function themesOf(result: CategoryThemes[], category: Category): CommentTheme[] {
  return result.find((entry) => entry.category === category)?.themes ?? [];
}

function theme(result: CategoryThemes[], category: Category, label: string): CommentTheme | undefined {
  return themesOf(result, category).find((entry) => entry.label === label);
}

const LATE_DELIVERY = [
  "Delivery took three weeks.",
  "The delivery was late again",
  "Late delivery, the parcel came after the party.",
  "Still waiting, delivery is so slow",
  "My delivery arrived ten days late!",
];

describe("comment themes per language", () => {
  it("turns five English detractor comments about late delivery into one shipping/delivery theme of 5", () => {
    const result = extractCommentThemes(comments("en", "detractor", LATE_DELIVERY));
    const shipping = theme(result, "detractor", "shipping/delivery");
    expect(shipping).toMatchObject({ kind: "topic", count: 5, locales: ["en"] });
    expect(shipping?.words).toEqual(["delivery"]);
    expect(themesOf(result, "detractor")[0]?.label).toBe("shipping/delivery");
  });

  it("merges French «livraison» comments with English «delivery» into one theme listing both words", () => {
    const result = extractCommentThemes([
      ...comments("en", "detractor", LATE_DELIVERY.slice(0, 3)),
      ...comments("fr", "detractor", [
        "La livraison a pris trois semaines.",
        "Livraison très lente, colis perdu.",
        "Aucune nouvelle de ma livraison",
      ]),
    ]);
    const shipping = theme(result, "detractor", "shipping/delivery");
    expect(shipping).toMatchObject({ count: 6, locales: ["en", "fr"] });
    expect(shipping?.words).toEqual(expect.arrayContaining(["delivery", "livraison"]));
    expect(themesOf(result, "detractor").filter((entry) => entry.words.includes("livraison"))).toHaveLength(
      1,
    );
  });

  it("finds shipping, size and customer service in German and Spanish wording too", () => {
    const result = extractCommentThemes([
      ...comments("de", "passive", [
        "Der Versand dauerte eine Woche.",
        "Lieferung kam spät, die Größe passt nicht.",
        "Die Größen fallen klein aus, Kundenservice hilfsbereit.",
        "Sehr freundlicher Kundenservice.",
      ]),
      ...comments("es", "passive", [
        "El envío tardó bastante.",
        "La talla es pequeña y la atención al cliente no contesta.",
        "Buena atención al cliente, pero la entrega fue lenta.",
      ]),
    ]);
    expect(theme(result, "passive", "shipping/delivery")).toMatchObject({ count: 4, locales: ["de", "es"] });
    expect(theme(result, "passive", "size/fit")).toMatchObject({ count: 3, locales: ["de", "es"] });
    expect(theme(result, "passive", "customer service")).toMatchObject({ count: 4, locales: ["de", "es"] });
    expect(theme(result, "passive", "customer service")?.words).toEqual(
      expect.arrayContaining(["kundenservice", "atención al cliente"]),
    );
  });

  it("labels merged topics in English whatever the language of the comments", () => {
    const result = extractCommentThemes(
      comments("fr", "promoter", [
        "Très bonne qualité",
        "Qualité au top",
        "La qualité est top, prix correct",
      ]),
    );
    expect(theme(result, "promoter", "quality")).toMatchObject({ count: 3, words: ["qualité"] });
  });

  it("groups the forms of one word into a theme labelled by its most frequent form", () => {
    const result = extractCommentThemes(
      comments("en", "promoter", [
        "Lovely packaging.",
        "The packaging was plastic-free",
        "Packaged with care",
        "Recyclable packaging, thank you",
      ]),
    );
    const packaging = themesOf(result, "promoter").filter((entry) => entry.key === "en:packag");
    expect(packaging).toHaveLength(1);
    expect(packaging[0]).toMatchObject({ label: "packaging", kind: "keyword", count: 4 });
    expect(packaging[0]?.words).toEqual(["packaging", "packaged"]);
  });

  it("finds two-word phrases of adjacent words and hides a keyword that only ever appears in one", () => {
    const result = extractCommentThemes(
      comments("en", "promoter", [
        "Super soft fabric!",
        "soft fabric, great colour",
        "The soft fabric is lovely",
      ]),
    );
    const labels = themesOf(result, "promoter").map((entry) => entry.label);
    expect(labels).toContain("soft fabric");
    expect(labels).not.toContain("fabric");
    expect(labels).not.toContain("soft");
  });

  it("never makes a theme of a stopword, in any language", () => {
    const result = extractCommentThemes([
      ...comments("en", "passive", [
        "It was what it was and that is that.",
        "It was not what it was, was it?",
      ]),
      ...comments("fr", "passive", ["C'est ce que c'est et voilà.", "Ce n'est pas ce que c'est, je pense."]),
      ...comments("de", "passive", ["Es ist, wie es ist, und das war das.", "Es war nicht so, wie es ist."]),
      ...comments("es", "passive", ["Es lo que es y eso es todo.", "No es lo que es, pero es lo que hay."]),
    ]);
    const stopwords = new Set([...eng, ...fra, ...deu, ...spa]);
    for (const entry of themesOf(result, "passive")) {
      for (const word of entry.words) expect(word.split(" ").some((part) => !stopwords.has(part))).toBe(true);
    }
    expect(themesOf(result, "passive").map((entry) => entry.label)).toEqual([]);
  });

  it("needs two different comments for a theme: one comment repeating a word is not enough", () => {
    const result = extractCommentThemes(
      comments("en", "detractor", [
        "Zipper broke, zipper stuck, zipper zipper zipper.",
        "Colour faded quickly.",
      ]),
    );
    expect(themesOf(result, "detractor")).toEqual([]);
    const twice = extractCommentThemes(
      comments("en", "detractor", ["Zipper broke.", "The zipper got stuck"]),
    );
    expect(theme(twice, "detractor", "zipper")).toMatchObject({ count: 2 });
  });

  it("counts distinct comments and keeps at most three examples, the original text, repeated and short first", () => {
    const texts = [
      "Shipping was slow, shipping was expensive, shipping was a mess and I will not order again from this shop.",
      "Shipping was slow",
      "Shipping was slow",
      "SHIPPING: slow!!",
      "Slow shipping <b>again</b>",
    ];
    const result = extractCommentThemes(comments("en", "detractor", texts));
    const shipping = theme(result, "detractor", "shipping/delivery");
    expect(shipping?.count).toBe(5);
    expect(shipping?.examples.map((example) => example.comment)).toEqual([
      "Shipping was slow",
      "SHIPPING: slow!!",
      "Slow shipping <b>again</b>",
    ]);
    for (const example of shipping?.examples ?? []) expect(texts).toContain(example.comment);
    expect(shipping?.examples[0]).toMatchObject({ locale: "en", id: expect.stringMatching(/^c\d+$/) });
  });

  it("gives each theme a search term that the comment list finds verbatim in most of its comments", () => {
    const result = extractCommentThemes(
      comments("en", "detractor", [
        "Delivery was late",
        "delivered late",
        "never delivered",
        "late delivery",
      ]),
    );
    const shipping = theme(result, "detractor", "shipping/delivery");
    expect(shipping).toMatchObject({ searchTerm: "deliv", searchMatches: 3 });
  });

  it("ranks themes by how many comments mention them and keeps the top ones per category", () => {
    const result = extractCommentThemes(
      [
        ...comments("en", "detractor", LATE_DELIVERY),
        ...comments("en", "detractor", ["Too expensive", "Price too high", "Jacket was overpriced"]),
        ...comments("en", "promoter", ["Perfect fit!", "A perfect fit, again", "Fits well"]),
      ],
      { maxThemes: 2 },
    );
    expect(themesOf(result, "detractor").map((entry) => [entry.label, entry.count])).toEqual([
      ["shipping/delivery", 5],
      ["price", 3],
    ]);
    expect(themesOf(result, "promoter").map((entry) => entry.label)).toEqual(["size/fit", "perfect fit"]);
    expect(result.map((entry) => [entry.category, entry.comments])).toEqual([
      ["promoter", 3],
      ["passive", 0],
      ["detractor", 8],
    ]);
  });

  it("reads a regional locale as its language and an unknown one as English", () => {
    expect(themeLanguage("fr-CA")).toBe("fr");
    expect(themeLanguage("es_MX")).toBe("es");
    expect(themeLanguage("it")).toBe("en");
    const result = extractCommentThemes(
      comments("fr-CA", "passive", ["Livraison lente", "livraison rapide"]),
    );
    expect(theme(result, "passive", "shipping/delivery")).toMatchObject({ count: 2, locales: ["fr"] });
  });

  it("ignores empty comments and returns every category even without comments", () => {
    const result = extractCommentThemes(comments("en", "promoter", ["", "   "]));
    expect(result).toEqual([
      { category: "promoter", comments: 0, themes: [] },
      { category: "passive", comments: 0, themes: [] },
      { category: "detractor", comments: 0, themes: [] },
    ]);
  });

  it("finds shipping in all four languages of the demo store's promoter comments", () => {
    const data = generateDemoData({ now: new Date("2026-11-25T00:00:00Z") });
    const demo = [...data.answers.values()].flatMap((answer) =>
      answer.comment
        ? [
            {
              id: String(answer.orderId),
              comment: answer.comment,
              category: categoryForScore(answer.score),
              locale: answer.locale,
            },
          ]
        : [],
    );
    const result = extractCommentThemes(demo);
    expect(theme(result, "promoter", "shipping/delivery")?.locales).toEqual(["en", "fr", "de", "es"]);
    expect(theme(result, "detractor", "damaged items")?.words).toEqual(
      expect.arrayContaining(["damaged", "abîmé", "beschädigt", "dañado"]),
    );
    expect(theme(result, "passive", "price")?.locales).toEqual(["en", "fr", "de", "es"]);
  });
});
