import snowball from "snowball-stemmers";
import { deu, eng, fra, spa } from "stopword";
import { CATEGORIES, type Category } from "./category";

// Themes in shoppers' comments, found offline: per language the text is cut into clauses and words, stopwords
// are dropped, words are stemmed (Snowball, via `snowball-stemmers`; stopword lists from `stopword`), and what
// is left is counted as keywords and two-word phrases per category. A small built-in map merges the commonest
// ecommerce topics across wording and languages ("delivery", "livraison", "Versand" → shipping/delivery).
// Counts are distinct comments. Pure: no I/O, deterministic for the same input.

export const THEME_LANGUAGES = ["en", "fr", "de", "es"] as const;
export type ThemeLanguage = (typeof THEME_LANGUAGES)[number];

export interface ThemeComment {
  id: string;
  comment: string;
  category: Category;
  /** The answer's locale; "fr-CA" reads as French, anything unknown as English. */
  locale: string;
}

export interface ThemeExample {
  id: string;
  comment: string;
  locale: string;
}

export interface CommentTheme {
  /** Stable within one result: "topic:shipping", "en:packag", "en:soft+fabric". */
  key: string;
  /** Built-in topics: an English label; other themes: their most frequent wording. */
  label: string;
  kind: "topic" | "phrase" | "keyword";
  /** Distinct comments that mention the theme. */
  count: number;
  /** The words shoppers used, most frequent first, lower-cased ("delivery", "livraison", "versand"). */
  words: string[];
  locales: string[];
  /** Up to `maxExamples` original comments, the most repeated and shortest first. */
  examples: ThemeExample[];
  /** One text for the comment list's substring search, the one found verbatim in the most of these comments. */
  searchTerm: string;
  /** How many of this theme's comments contain `searchTerm` verbatim (case-sensitive). */
  searchMatches: number;
}

export interface CategoryThemes {
  category: Category;
  /** Comments of the category that were read. */
  comments: number;
  themes: CommentTheme[];
}

export interface ThemeOptions {
  /** Themes kept per category (default 10). */
  maxThemes?: number;
  /** A theme needs at least this many distinct comments (default 2). */
  minComments?: number;
  /** Example comments per theme (default 3). */
  maxExamples?: number;
}

// ——— language resources ———

const SNOWBALL: Record<ThemeLanguage, string> = {
  en: "english",
  fr: "french",
  de: "german",
  es: "spanish",
};

/** Words the stopword lists keep but that never make a theme on their own: fillers, negations, generic nouns. */
const FILLERS: Record<ThemeLanguage, string[]> = {
  en: [
    "not",
    "never",
    "nothing",
    "nobody",
    "none",
    "no",
    "very",
    "really",
    "quite",
    "bit",
    "little",
    "lot",
    "lots",
    "also",
    "still",
    "just",
    "even",
    "already",
    "ever",
    "much",
    "many",
    "overall",
    "ok",
    "okay",
    "fine",
    "thing",
    "things",
    "product",
    "products",
    "item",
    "items",
    "one",
    "two",
    "three",
    "first",
    "second",
    "time",
    "times",
    "get",
    "got",
    "make",
    "made",
    "will",
    "would",
    "could",
    "can",
    "may",
    "might",
    "must",
    "shall",
    "should",
    "does",
    "did",
    "done",
    "like",
    "way",
    "well",
    "yet",
    "though",
    "although",
    "almost",
    "exactly",
    "slightly",
    "somewhat",
    "too",
    "etc",
    // Generic verbs: "delivery took a week", "felt like a gift", "package arrived damaged".
    "take",
    "takes",
    "took",
    "taken",
    "feel",
    "feels",
    "felt",
    "come",
    "came",
    "went",
    "arrive",
    "arrived",
    "arrives",
    "ask",
    "asked",
    "say",
    "said",
    "want",
    "wanted",
    "need",
    "needed",
    "try",
    "tried",
    "buy",
    "bought",
    "order",
    "ordered",
  ],
  fr: [
    "très",
    "trop",
    "peu",
    "vraiment",
    "bien",
    "tout",
    "tous",
    "toute",
    "toutes",
    "rien",
    "aucun",
    "aucune",
    "jamais",
    "ok",
    "produit",
    "produits",
    "article",
    "articles",
    "fois",
    "chose",
    "choses",
    "déjà",
    "encore",
    "aussi",
    "assez",
    "plutôt",
    "fait",
    "faire",
    "été",
    "être",
    "avoir",
    "suis",
    "était",
    "sont",
    "ont",
    "a",
    "ça",
    "cela",
    "ceci",
    "cet",
    "cette",
    "ces",
    "deux",
    "trois",
    "correct",
    "correcte",
    "tellement",
    "plus",
    "moins",
    "ai",
    "pris",
    "prend",
    "arrivé",
    "arrivée",
    "reçu",
    "reçue",
    "commandé",
  ],
  de: [
    "sehr",
    "etwas",
    "ganz",
    "wirklich",
    "gerne",
    "gern",
    "wieder",
    "immer",
    "nie",
    "niemals",
    "nichts",
    "kein",
    "keine",
    "ok",
    "okay",
    "produkt",
    "produkte",
    "artikel",
    "mal",
    "schon",
    "noch",
    "leider",
    "total",
    "einfach",
    "zwei",
    "drei",
    "insgesamt",
    "kam",
    "kamen",
    "dauerte",
    "bestellt",
    "erhalten",
  ],
  es: [
    "muy",
    "algo",
    "bastante",
    "bien",
    "todo",
    "toda",
    "todos",
    "todas",
    "nada",
    "nunca",
    "ningún",
    "ninguna",
    "ok",
    "producto",
    "productos",
    "artículo",
    "artículos",
    "vez",
    "veces",
    "cosa",
    "cosas",
    "ya",
    "también",
    "aún",
    "todavía",
    "está",
    "estaba",
    "estoy",
    "están",
    "es",
    "era",
    "fue",
    "ser",
    "estar",
    "sido",
    "he",
    "ha",
    "han",
    "hay",
    "me",
    "mi",
    "mis",
    "tu",
    "su",
    "sus",
    "dos",
    "tres",
    "más",
    "menos",
    "poco",
    "mucho",
    "tan",
    "llegó",
    "tardó",
    "volveré",
    "comprar",
    "pedido",
  ],
};

/**
 * Judgement words: they belong in phrases ("fast shipping", "great quality") but are no theme on their own.
 * Matched by stem, so inflections count too ("perfectly", "rapides", "schneller").
 */
const MODIFIERS: Record<ThemeLanguage, string[]> = {
  en: [
    "good",
    "great",
    "nice",
    "excellent",
    "amazing",
    "awesome",
    "perfect",
    "perfectly",
    "love",
    "loved",
    "lovely",
    "beautiful",
    "best",
    "better",
    "bad",
    "worse",
    "worst",
    "terrible",
    "awful",
    "poor",
    "fast",
    "quick",
    "quickly",
    "slow",
    "slowly",
    "late",
    "super",
    "happy",
    "recommend",
    "thanks",
    "thank",
  ],
  fr: [
    "bon",
    "bonne",
    "bons",
    "bonnes",
    "super",
    "excellent",
    "parfait",
    "parfaite",
    "parfaitement",
    "belle",
    "beau",
    "mauvais",
    "mauvaise",
    "rapide",
    "rapides",
    "rapidement",
    "lent",
    "lente",
    "tard",
    "recommande",
    "merci",
    "génial",
  ],
  de: [
    "gut",
    "gute",
    "guter",
    "gutes",
    "toll",
    "tolle",
    "super",
    "perfekt",
    "schön",
    "schlecht",
    "schnell",
    "schneller",
    "langsam",
    "freundlich",
    "freundlicher",
    "spät",
    "danke",
    "empfehlen",
  ],
  es: [
    "buen",
    "buena",
    "bueno",
    "buenos",
    "excelente",
    "perfecto",
    "perfecta",
    "genial",
    "malo",
    "mala",
    "rápido",
    "rápida",
    "rápidamente",
    "lento",
    "lenta",
    "tarde",
    "encanta",
    "gracias",
    "recomiendo",
  ],
};

interface TopicDefinition {
  id: string;
  /** English label shown for the merged theme. */
  label: string;
  /**
   * Per language, words or phrases that name the topic. A word matches by stem; "xyz*" matches any word that
   * starts with xyz (accents ignored), for German compounds and inflected forms. Stopwords inside a phrase
   * are skipped ("atención al cliente" matches "atención cliente" too).
   */
  terms: Record<ThemeLanguage, string[]>;
}

/** The commonest ecommerce topics; a word belongs to the first topic that names it. */
export const BUILT_IN_TOPICS: readonly TopicDefinition[] = [
  {
    id: "customer-service",
    label: "customer service",
    terms: {
      en: [
        "customer service",
        "customer services",
        "customer support",
        "customer care",
        "support team",
        "support",
      ],
      fr: [
        "service client",
        "service clients",
        "service clientèle",
        "service après-vente",
        "relation client",
        "sav",
      ],
      de: ["kundenservice*", "kundendienst*", "kundensupport*", "kundenbetreuung*", "support", "service"],
      es: ["atención al cliente", "servicio al cliente", "servicio de atención", "atención", "soporte"],
    },
  },
  {
    id: "shipping",
    label: "shipping/delivery",
    terms: {
      en: ["ship", "shipping", "shipped", "shipment", "deliver*", "courier", "dispatch*", "postage"],
      fr: [
        "livraison*",
        "livré",
        "livrée",
        "livrés",
        "livrer",
        "expédition*",
        "expédié*",
        "envoi",
        "transporteur",
      ],
      de: ["versand*", "liefer*", "geliefert", "zustellung*", "versendet", "verschickt", "porto"],
      es: [
        "envío",
        "envio",
        "envíos",
        "envios",
        "enviado*",
        "entrega*",
        "entregado*",
        "reparto",
        "transporte",
      ],
    },
  },
  {
    id: "size",
    label: "size/fit",
    terms: {
      en: ["size", "sizes", "sizing", "sized", "fit", "fits", "fitting", "fitted"],
      fr: ["taille*", "pointure*"],
      de: ["größe*", "grösse*", "passform*", "passt", "passen"],
      es: ["talla*", "tallaje"],
    },
  },
  {
    id: "quality",
    label: "quality",
    terms: {
      en: ["quality"],
      fr: ["qualité*"],
      de: ["qualität*"],
      es: ["calidad*"],
    },
  },
  {
    id: "price",
    label: "price",
    terms: {
      en: [
        "price",
        "prices",
        "priced",
        "pricey",
        "pricy",
        "overpriced",
        "expensive",
        "cheap",
        "cost",
        "costs",
      ],
      fr: ["prix", "cher", "chère", "chers", "chères", "onéreux", "coût*", "tarif*"],
      de: ["preis*", "teuer", "teure", "teuren", "teurer", "günstig*"],
      es: ["precio*", "caro", "cara", "caros", "caras", "barato*", "costoso*"],
    },
  },
  {
    id: "returns",
    label: "returns/refunds",
    terms: {
      en: ["return", "returns", "returned", "returning", "refund*", "exchange*"],
      fr: ["retour*", "rembours*", "échange*"],
      de: ["rücksend*", "rückgabe*", "retoure*", "erstatt*", "umtausch*", "zurückgeschickt", "zurücksenden"],
      es: ["devolución*", "devolucion*", "devolver", "devuelto", "reembolso*"],
    },
  },
  {
    id: "damaged",
    label: "damaged items",
    terms: {
      en: ["damaged", "damage", "broken", "torn", "defective"],
      fr: ["abîmé*", "abime*", "endommagé*", "cassé*", "défectueu*"],
      de: ["beschädigt*", "kaputt*", "defekt*"],
      es: ["dañado*", "dañada*", "roto", "rota", "defectuos*"],
    },
  },
];

// ——— text handling ———

const fold = (text: string) =>
  text
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .normalize("NFC");

const CLAUSE_BREAK = /[.!?¡¿;:,()[\]{}"“”«»„…\n\r\t/|•]+|\s[-–—]+\s/u;
const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:['’-][\p{L}\p{M}\p{N}]+)*/gu;
const FRENCH_ELISION = /^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)'/u;

export function themeLanguage(locale: string): ThemeLanguage {
  const language = locale.toLowerCase().split(/[-_]/)[0] ?? "";
  return (THEME_LANGUAGES as readonly string[]).includes(language) ? (language as ThemeLanguage) : "en";
}

interface Word {
  /** As written. */
  surface: string;
  lower: string;
  /** Lower-cased without accents, for prefix terms. */
  folded: string;
  stem: string;
  /** Position in its clause, counting stopwords too: two words are adjacent when positions differ by one. */
  position: number;
  /** Where the word is in its clause's text: [start, end). */
  start: number;
  end: number;
}

interface Clause {
  text: string;
  /** Content words: stopwords dropped, positions kept. */
  words: Word[];
}

type Matcher = { stem: string } | { prefix: string };

interface Language {
  stem(word: string): string;
  isStopword(lower: string): boolean;
  /** A word that names a topic on its own ("große" is a German stopword, "Größe" a size). */
  isTopicWord(word: Pick<Word, "stem" | "folded">): boolean;
  isModifier(stem: string): boolean;
  /** Per topic term, its matchers; longest terms first. */
  topicTerms: { topic: TopicDefinition; matchers: Matcher[] }[];
}

const languages = new Map<ThemeLanguage, Language>();

function language(code: ThemeLanguage): Language {
  const known = languages.get(code);
  if (known) return known;
  const stemmer = snowball.newStemmer(SNOWBALL[code]);
  const stems = new Map<string, string>();
  const stem = (word: string) => {
    let stemmed = stems.get(word);
    if (stemmed === undefined) {
      stemmed = stemmer.stem(word);
      if (stems.size < 50_000) stems.set(word, stemmed);
    }
    return stemmed;
  };
  const list = { en: eng, fr: fra, de: deu, es: spa }[code];
  const stopwords = new Set([...list, ...FILLERS[code]].map((word) => word.toLowerCase()));
  for (const word of [...stopwords]) stopwords.add(fold(word));
  const isStopword = (lower: string) =>
    stopwords.has(lower) || stopwords.has(fold(lower)) || !/\p{L}/u.test(lower) || lower.length < 2;
  const modifiers = new Set(MODIFIERS[code].map((word) => stem(word)));
  const topicTerms = BUILT_IN_TOPICS.flatMap((topic) =>
    topic.terms[code].map((term) => {
      const parts = term.toLowerCase().split(/\s+/);
      return {
        topic,
        matchers: parts
          .filter((part) => parts.length === 1 || part.endsWith("*") || !isStopword(part))
          .map(
            (part): Matcher =>
              part.endsWith("*") ? { prefix: fold(part.slice(0, -1)) } : { stem: stem(part) },
          ),
      };
    }),
  )
    .filter((term) => term.matchers.length > 0)
    .sort((a, b) => b.matchers.length - a.matchers.length);
  const single = topicTerms.flatMap((term) => (term.matchers.length === 1 ? term.matchers : []));
  const built: Language = {
    stem,
    isStopword,
    isTopicWord: (word) => single.some((matcher) => matches(word, matcher)),
    isModifier: (s) => modifiers.has(s),
    topicTerms,
  };
  languages.set(code, built);
  return built;
}

/** The comment's clauses, each with its content words. */
function clauses(text: string, code: ThemeLanguage, lang: Language): Clause[] {
  return text
    .normalize("NFC")
    .split(CLAUSE_BREAK)
    .map((clause) => {
      const words: Word[] = [];
      let position = 0;
      for (const match of clause.matchAll(WORD)) {
        const raw = match[0].replace(/’/g, "'");
        let surface = code === "fr" ? raw.replace(FRENCH_ELISION, "") : raw;
        const start = (match.index ?? 0) + raw.length - surface.length;
        if (code === "en") surface = surface.replace(/'s$/i, "");
        const lower = surface.toLowerCase();
        position += 1;
        if (!/\p{L}/u.test(lower)) continue;
        const word: Word = {
          surface,
          lower,
          folded: fold(lower),
          stem: lang.stem(lower),
          position,
          start,
          end: start + surface.length,
        };
        // English contractions ("didn't", "it's") are function words.
        const stop = lang.isStopword(lower) || (code === "en" && lower.includes("'"));
        if (stop && !lang.isTopicWord(word)) continue;
        words.push(word);
      }
      return { text: clause, words };
    })
    .filter((clause) => clause.words.length > 0);
}

function matches(word: Pick<Word, "stem" | "folded">, matcher: Matcher): boolean {
  return "stem" in matcher ? word.stem === matcher.stem : word.folded.startsWith(matcher.prefix);
}

interface Unit {
  key: string;
  /** The unit inside a phrase key: "#shipping" for a topic, the stem for a word. */
  part: string;
  kind: "topic" | "word";
  /** The words as written, stopwords between them included ("atención al cliente"). */
  verbatim: string;
  modifier: boolean;
  /** A single word's stem, else null. */
  stem: string | null;
  first: number;
  last: number;
  start: number;
  end: number;
}

/** Words of a clause, with runs that name a built-in topic fused into one topic unit. */
function units(clause: Clause, code: ThemeLanguage, lang: Language): Unit[] {
  const { words } = clause;
  const result: Unit[] = [];
  let index = 0;
  while (index < words.length) {
    const found = lang.topicTerms.find(({ matchers }) =>
      matchers.every((matcher, offset) => {
        const word = words[index + offset];
        return word !== undefined && matches(word, matcher);
      }),
    );
    const run = words.slice(index, index + (found?.matchers.length ?? 1));
    const first = run[0]!;
    const last = run[run.length - 1]!;
    result.push({
      key: found ? `topic:${found.topic.id}` : `${code}:${first.stem}`,
      part: found ? `#${found.topic.id}` : first.stem,
      kind: found ? "topic" : "word",
      verbatim: clause.text.slice(first.start, last.end),
      modifier: !found && lang.isModifier(first.stem),
      stem: run.length === 1 ? first.stem : null,
      first: first.position,
      last: last.position,
      start: first.start,
      end: last.end,
    });
    index += run.length;
  }
  return result;
}

interface Mention {
  key: string;
  kind: CommentTheme["kind"];
  /** As written in the comment. */
  verbatim: string;
  parts: string[];
  /** A single word's stem: a stem that prefixes the word ("deliv") finds its inflections in a search. */
  stem: string | null;
}

/** Everything one comment mentions: topics, keywords and two-word phrases of adjacent words. */
function mentions(comment: ThemeComment): Mention[] {
  const code = themeLanguage(comment.locale);
  const lang = language(code);
  const found: Mention[] = [];
  for (const clause of clauses(comment.comment, code, lang)) {
    const list = units(clause, code, lang);
    list.forEach((unit, index) => {
      if (unit.kind === "topic" || (!unit.modifier && unit.verbatim.length >= 3)) {
        found.push({
          key: unit.key,
          kind: unit.kind === "topic" ? "topic" : "keyword",
          verbatim: unit.verbatim,
          parts: [unit.key],
          stem: unit.stem,
        });
      }
      const next = list[index + 1];
      if (!next || next.first !== unit.last + 1 || next.key === unit.key) return;
      if (unit.modifier && next.modifier) return;
      found.push({
        key: `${code}:${unit.part}+${next.part}`,
        kind: "phrase",
        verbatim: clause.text.slice(unit.start, next.end),
        parts: [unit.key, next.key],
        stem: null,
      });
    });
  }
  return found;
}

// ——— counting ———

interface Tally {
  key: string;
  kind: CommentTheme["kind"];
  parts: string[];
  comments: Set<number>;
  words: Map<string, number>;
  verbatim: Set<string>;
  stems: Set<string>;
  locales: Set<string>;
}

const KIND_RANK = { topic: 0, phrase: 1, keyword: 2 } as const;

function mostFrequent(counts: Map<string, number>): string[] {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].length - b[0].length || a[0].localeCompare(b[0]))
    .map(([word]) => word);
}

function pickExamples(indexes: number[], comments: ThemeComment[], max: number): ThemeExample[] {
  const byText = new Map<string, { first: number; count: number }>();
  for (const index of indexes) {
    const text = comments[index]!.comment.trim();
    const seen = byText.get(text);
    if (seen) seen.count += 1;
    else byText.set(text, { first: index, count: 1 });
  }
  return [...byText.entries()]
    .sort(
      ([a, x], [b, y]) =>
        Number(a.length > 280) - Number(b.length > 280) ||
        y.count - x.count ||
        a.length - b.length ||
        x.first - y.first,
    )
    .slice(0, max)
    .map(([, { first }]) => {
      const source = comments[first]!;
      return { id: source.id, comment: source.comment, locale: source.locale };
    });
}

/** The candidate text found verbatim in the most comments; on a tie the longer, more specific one. */
function searchTermFor(tally: Tally, indexes: number[], comments: ThemeComment[]) {
  const candidates = new Set<string>();
  for (const text of tally.verbatim) {
    candidates.add(text);
    candidates.add(text.toLowerCase());
  }
  for (const stem of tally.stems) if (stem.length >= 4) candidates.add(stem);
  let best = { term: mostFrequent(tally.words)[0] ?? "", matches: -1 };
  for (const term of [...candidates].sort()) {
    const found = indexes.filter((index) => comments[index]!.comment.includes(term)).length;
    if (found > best.matches || (found === best.matches && term.length > best.term.length)) {
      best = { term, matches: found };
    }
  }
  return { searchTerm: best.term, searchMatches: Math.max(best.matches, 0) };
}

function themesOf(
  comments: ThemeComment[],
  indexes: number[],
  options: Required<ThemeOptions>,
): CommentTheme[] {
  const tallies = new Map<string, Tally>();
  for (const index of indexes) {
    const comment = comments[index]!;
    for (const mention of mentions(comment)) {
      let tally = tallies.get(mention.key);
      if (!tally) {
        tally = {
          key: mention.key,
          kind: mention.kind,
          parts: mention.parts,
          comments: new Set(),
          words: new Map(),
          verbatim: new Set(),
          stems: new Set(),
          locales: new Set(),
        };
        tallies.set(mention.key, tally);
      }
      tally.comments.add(index);
      const text = mention.verbatim.toLowerCase().replace(/\s+/g, " ");
      tally.words.set(text, (tally.words.get(text) ?? 0) + 1);
      tally.verbatim.add(mention.verbatim);
      if (mention.stem) tally.stems.add(mention.stem);
      tally.locales.add(themeLanguage(comment.locale));
    }
  }
  const kept = [...tallies.values()].filter((tally) => tally.comments.size >= options.minComments);
  // A keyword that only ever appears inside one of its phrases says nothing the phrase does not.
  const phraseCounts = new Map<string, number>();
  for (const tally of kept) {
    if (tally.kind !== "phrase") continue;
    for (const part of tally.parts) {
      phraseCounts.set(part, Math.max(phraseCounts.get(part) ?? 0, tally.comments.size));
    }
  }
  const shown = kept.filter(
    (tally) => tally.kind !== "keyword" || (phraseCounts.get(tally.key) ?? 0) < tally.comments.size,
  );
  shown.sort(
    (a, b) =>
      b.comments.size - a.comments.size ||
      KIND_RANK[a.kind] - KIND_RANK[b.kind] ||
      a.key.localeCompare(b.key),
  );
  return shown.slice(0, options.maxThemes).map((tally) => {
    const members = [...tally.comments];
    const words = mostFrequent(tally.words);
    const topic =
      tally.kind === "topic" ? BUILT_IN_TOPICS.find((t) => `topic:${t.id}` === tally.key) : undefined;
    return {
      key: tally.key,
      label: topic?.label ?? words[0] ?? tally.key,
      kind: tally.kind,
      count: members.length,
      words,
      locales: THEME_LANGUAGES.filter((code) => tally.locales.has(code)),
      examples: pickExamples(members, comments, options.maxExamples),
      ...searchTermFor(tally, members, comments),
    };
  });
}

/** Themes per category, most mentioned first; categories keep the order of CATEGORIES. */
export function extractCommentThemes(
  comments: readonly ThemeComment[],
  options: ThemeOptions = {},
): CategoryThemes[] {
  const settings: Required<ThemeOptions> = {
    maxThemes: options.maxThemes ?? 10,
    minComments: options.minComments ?? 2,
    maxExamples: options.maxExamples ?? 3,
  };
  const usable = comments.filter((comment) => comment.comment.trim().length > 0);
  return CATEGORIES.map((category) => {
    const indexes = usable.flatMap((comment, index) => (comment.category === category ? [index] : []));
    return { category, comments: indexes.length, themes: themesOf(usable, indexes, settings) };
  });
}
