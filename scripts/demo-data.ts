// Deterministic demo data: customers, orders and answers for a believable store over the last 120 days.
// A seeded PRNG keeps every demo (and every test of the seed) identical.
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST_NAMES = [
  "Ada",
  "Grace",
  "Linus",
  "Mia",
  "Noah",
  "Lea",
  "Jonas",
  "Chloé",
  "Lucas",
  "Sofía",
  "Mateo",
  "Emma",
  "Hugo",
  "Inès",
  "Finn",
  "Lena",
];
const LAST_NAMES = [
  "Lovelace",
  "Hopper",
  "Martin",
  "Bernard",
  "Müller",
  "Schmidt",
  "García",
  "López",
  "Dubois",
  "Weber",
  "Fischer",
  "Moreau",
  "Rossi",
  "Novak",
];
const PRODUCTS = [
  { productId: 7001, title: "Linen shirt", price: "49.00" },
  { productId: 7002, title: "Merino sweater", price: "89.00" },
  { productId: 7003, title: "Canvas tote", price: "24.00" },
  { productId: 7004, title: "Rain jacket", price: "139.00" },
  { productId: 7005, title: "Wool socks (3 pairs)", price: "19.00" },
  { productId: 7006, title: "Denim jeans", price: "79.00" },
];
const COUNTRIES = [
  { code: "US", locale: "en", currency: "USD", weight: 5 },
  { code: "CA", locale: "fr", currency: "CAD", weight: 1 },
  { code: "FR", locale: "fr", currency: "EUR", weight: 2 },
  { code: "DE", locale: "de", currency: "EUR", weight: 2 },
  { code: "ES", locale: "es", currency: "EUR", weight: 1 },
  { code: "GB", locale: "en", currency: "GBP", weight: 2 },
];

type Category = "promoter" | "passive" | "detractor";
const COMMENTS: Record<string, Record<Category, string[]>> = {
  en: {
    promoter: [
      "Fast shipping and the shirt fits perfectly.",
      "Great quality, I already ordered a second one.",
      "Customer service answered within an hour. Impressed!",
      "Beautiful packaging, felt like a gift.",
      "Exactly as pictured, super soft fabric.",
      "Love the sizing guide, first time a brand got my size right.",
    ],
    passive: [
      "Good product but delivery took a week.",
      "Nice sweater, a bit pricey for what it is.",
      "Fine overall, the checkout asked for too much information.",
      "Quality is ok, colours slightly different from the photos.",
    ],
    detractor: [
      "Shipping took almost three weeks and nobody answered my emails.",
      "The jeans run two sizes small, returning them was a hassle.",
      "Package arrived damaged.",
      "Charged twice for the same order, still waiting for the refund.",
      "Customer service never replied.",
    ],
  },
  fr: {
    promoter: [
      "Livraison rapide et qualité au rendez-vous.",
      "Très belle matière, je recommande !",
      "Service client très réactif.",
    ],
    passive: ["Bon produit mais la livraison a pris du temps.", "Correct, un peu cher."],
    detractor: [
      "Colis arrivé abîmé et aucune réponse du service client.",
      "La taille ne correspond pas du tout au guide.",
    ],
  },
  de: {
    promoter: [
      "Schneller Versand und tolle Qualität.",
      "Passt perfekt, gerne wieder!",
      "Sehr freundlicher Kundenservice.",
    ],
    passive: ["Gutes Produkt, aber der Versand dauerte lange.", "Ganz ok, etwas teuer."],
    detractor: ["Die Lieferung kam beschädigt an.", "Rücksendung war kompliziert und langsam."],
  },
  es: {
    promoter: ["Envío rápido y muy buena calidad.", "¡Me encanta, volveré a comprar!"],
    passive: ["Buen producto, pero el envío tardó bastante.", "Está bien, algo caro."],
    detractor: ["El pedido llegó dañado.", "La talla no corresponde, devolución complicada."],
  },
};

export interface DemoCustomer {
  id: number;
  email: string;
  firstName: string;
  lastName: string;
  countryCode: string;
  locale: string;
  currency: string;
}

export interface DemoOrder {
  id: number;
  customerId: number;
  createdAt: Date;
  totalPrice: string;
  currency: string;
  countryCode: string;
  locale: string;
  sourceName: string;
  discountCodes: string[];
  lineItems: { productId: number; title: string; quantity: number; price: string }[];
}

export interface DemoAnswer {
  orderId: number;
  answeredAt: Date;
  score: number;
  comment: string | undefined;
  locale: string;
}

export interface DemoData {
  customers: DemoCustomer[];
  orders: DemoOrder[];
  /** Answers the seed submits for every order whose invitation is open; more than needed on purpose. */
  answers: Map<number, DemoAnswer>;
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function weightedCountry(random: () => number) {
  const total = COUNTRIES.reduce((sum, country) => sum + country.weight, 0);
  let roll = random() * total;
  for (const country of COUNTRIES) {
    roll -= country.weight;
    if (roll < 0) return country;
  }
  return COUNTRIES[0]!;
}

// Scores improve over the period (a merchant who acted on detractor feedback) so the trend has a story.
function scoreFor(random: () => number, progress: number): number {
  const roll = random();
  const promoterShare = 0.45 + 0.15 * progress;
  const detractorShare = 0.25 - 0.1 * progress;
  if (roll < promoterShare) return random() < 0.55 ? 10 : 9;
  if (roll < 1 - detractorShare) return random() < 0.5 ? 8 : 7;
  return Math.floor(random() * 7);
}

function categoryOf(score: number): Category {
  return score >= 9 ? "promoter" : score >= 7 ? "passive" : "detractor";
}

export function generateDemoData(options: {
  now: Date;
  customers?: number;
  orders?: number;
  days?: number;
  seed?: number;
}): DemoData {
  const random = seededRandom(options.seed ?? 20261125);
  const days = options.days ?? 120;
  const customerCount = options.customers ?? 600;
  const orderCount = options.orders ?? 1100;
  const customers: DemoCustomer[] = Array.from({ length: customerCount }, (_, index) => {
    const country = weightedCountry(random);
    const firstName = pick(random, FIRST_NAMES);
    const lastName = pick(random, LAST_NAMES);
    return {
      id: 5_000_001 + index,
      email: `${firstName}.${lastName}.${index}@example.com`
        .toLowerCase()
        .normalize("NFD")
        .replace(/[\u0300-\u036f]/g, ""),
      firstName,
      lastName,
      countryCode: country.code,
      locale: country.locale,
      currency: country.currency,
    };
  });
  const start = options.now.getTime() - days * 86_400_000;
  const orders: DemoOrder[] = Array.from({ length: orderCount }, (_, index) => {
    // Every customer orders at least once; the rest are repeat orders.
    const customer = index < customerCount ? customers[index]! : pick(random, customers);
    const items = Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
      ...pick(random, PRODUCTS),
      quantity: 1,
    }));
    const total = items.reduce((sum, item) => sum + Number(item.price), 0);
    return {
      id: 9_100_001 + index,
      customerId: customer.id,
      createdAt: new Date(start + random() * (days - 1) * 86_400_000),
      totalPrice: total.toFixed(2),
      currency: customer.currency,
      countryCode: customer.countryCode,
      locale: customer.locale,
      sourceName: random() < 0.08 ? "pos" : "web",
      discountCodes: random() < 0.2 ? ["WELCOME10"] : [],
      lineItems: items,
    };
  });
  orders.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const answers = new Map<number, DemoAnswer>();
  for (const order of orders) {
    if (random() > 0.8) continue;
    const progress = (order.createdAt.getTime() - start) / (days * 86_400_000);
    const score = scoreFor(random, progress);
    const hasComment = random() < 0.6;
    const answeredAt = new Date(
      Math.min(order.createdAt.getTime() + random() * 3 * 3_600_000, options.now.getTime()),
    );
    answers.set(order.id, {
      orderId: order.id,
      answeredAt,
      score,
      comment: hasComment ? pick(random, COMMENTS[order.locale]![categoryOf(score)]) : undefined,
      locale: order.locale,
    });
  }
  return { customers, orders, answers };
}
