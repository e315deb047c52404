import { customerOrderFields } from "./customer-orders";
import { flowMutations } from "./flow";
import { createBulkResolvers } from "./bulk";
import type { EmulatedCustomer, EmulatedMetafield, EmulatedShop, EmulatorStore } from "./store";

// Root fields the emulator implements, with Shopify's semantics for what NPS Sync relies on.
type Args = Record<string, unknown>;
type UserError = { field: string[] | null; message: string; code?: string | null };
export type RootResolver = (args: Args) => unknown;

const MAX_TAGS = 250;
const MAX_TAG_LENGTH = 255;

function encodeCursor(index: number): string {
  return Buffer.from(`cursor:${index}`).toString("base64");
}

function decodeCursor(cursor: unknown): number {
  if (typeof cursor !== "string") return -1;
  const match = /^cursor:(\d+)$/.exec(Buffer.from(cursor, "base64").toString("utf8"));
  return match ? Number(match[1]) : -1;
}

export function connection<T>(items: T[], args: Args) {
  const start = decodeCursor(args.after) + 1;
  const first = typeof args.first === "number" ? args.first : items.length;
  const page = items.slice(start, start + first);
  return {
    nodes: page,
    edges: page.map((node, offset) => ({ node, cursor: encodeCursor(start + offset) })),
    pageInfo: {
      hasNextPage: start + first < items.length,
      hasPreviousPage: start > 0,
      startCursor: page.length ? encodeCursor(start) : null,
      endCursor: page.length ? encodeCursor(start + page.length - 1) : null,
    },
  };
}

function metafieldView(metafield: EmulatedMetafield, ownerId: string) {
  return {
    __typename: "Metafield",
    ...metafield,
    ownerType: "CUSTOMER",
    owner: { __typename: "Customer", id: ownerId },
  };
}

function customerView(customer: EmulatedCustomer) {
  return {
    __typename: "Customer",
    id: customer.id,
    email: customer.email,
    firstName: customer.firstName,
    lastName: customer.lastName,
    displayName:
      [customer.firstName, customer.lastName].filter(Boolean).join(" ") || customer.email || customer.id,
    tags: [...customer.tags],
    numberOfOrders: String(customer.numberOfOrders),
    amountSpent: { __typename: "MoneyV2", ...customer.amountSpent },
    createdAt: customer.createdAt,
    updatedAt: customer.updatedAt,
    metafield: (args: Args) => {
      const found = customer.metafields.find(
        (field) => field.namespace === args.namespace && field.key === args.key,
      );
      return found ? metafieldView(found, customer.id) : null;
    },
    metafields: (args: Args) =>
      connection(
        customer.metafields
          .filter((field) => !args.namespace || field.namespace === args.namespace)
          .map((field) => metafieldView(field, customer.id)),
        args,
      ),
  };
}

/** Shopify splits tag arguments on commas, trims them and ignores case when comparing. */
function normalizeTags(input: unknown): string[] {
  const list = Array.isArray(input) ? input : [input];
  return list
    .flatMap((tag) => String(tag).split(","))
    .map((tag) => tag.trim())
    .filter(Boolean);
}

function tagErrors(tags: string[]): UserError[] {
  const tooLong = tags.find((tag) => tag.length > MAX_TAG_LENGTH);
  if (tooLong)
    return [
      { field: ["tags"], message: `Tag "${tooLong.slice(0, 20)}…" is too long (maximum is 255 characters)` },
    ];
  if (tags.length > MAX_TAGS) return [{ field: ["tags"], message: "Tags cannot be more than 250" }];
  return [];
}

function mergeTags(current: string[], added: string[]): string[] {
  const result = [...current];
  for (const tag of added) {
    if (!result.some((existing) => existing.toLowerCase() === tag.toLowerCase())) result.push(tag);
  }
  return result;
}

const INTEGER = /^-?\d+$/;

function metafieldValueError(type: string, value: string): string | null {
  switch (type) {
    case "number_integer":
      return INTEGER.test(value) && Math.abs(Number(value)) <= 9_007_199_254_740_991
        ? null
        : "Value must be an integer.";
    case "single_line_text_field":
      return value.includes("\n") ? "Value must be a single line of text." : null;
    case "multi_line_text_field":
      return null;
    case "date_time":
      return Number.isNaN(Date.parse(value)) ? "Value must be in ISO 8601 date and time format." : null;
    case "url":
      return /^https?:\/\/\S+$/.test(value) ? null : "Value must be a URL.";
    case "json":
      try {
        JSON.parse(value);
        return null;
      } catch {
        return "Value is invalid JSON.";
      }
    default:
      return null;
  }
}

export function createResolvers(
  store: EmulatorStore,
  shop: EmulatedShop,
  options: { userErrorFault: boolean },
) {
  const timestamp = () => new Date(store.now()).toISOString();
  const findCustomer = (id: unknown) => shop.customers.get(String(id)) ?? null;
  // Metafields can hang on customers and orders (the app writes nps.survey_url on orders).
  const findOwner = (id: unknown) => shop.customers.get(String(id)) ?? shop.orders.get(String(id)) ?? null;
  const faultErrors = (field: string): UserError[] | null =>
    options.userErrorFault ? [{ field: [field], message: "Injected user error (emulator fault)" }] : null;
  const missingCustomer = (): UserError[] => [{ field: ["id"], message: "Customer does not exist" }];

  /** What Shopify would refuse about one metafield input, checked before anything is written. */
  function metafieldError(input: Args, index: number): UserError | { type: string } {
    const owner = findOwner(input.ownerId);
    if (!owner)
      return {
        field: ["metafields", String(index), "ownerId"],
        message: "Owner does not exist.",
        code: "INVALID",
      };
    const namespace = String(input.namespace ?? "");
    const key = String(input.key ?? "");
    const ownerType = String(input.ownerId).includes("/Order/") ? "ORDER" : "CUSTOMER";
    const definition = shop.definitions.find(
      (candidate) =>
        candidate.namespace === namespace && candidate.key === key && candidate.ownerType === ownerType,
    );
    const type = (input.type as string | undefined) ?? definition?.type;
    if (!type)
      return { field: ["metafields", String(index), "type"], message: "Type can't be blank.", code: "BLANK" };
    if (definition && definition.type !== type) {
      return {
        field: ["metafields", String(index), "type"],
        message: `Type must be ${definition.type}.`,
        code: "INVALID_TYPE",
      };
    }
    const problem = metafieldValueError(type, String(input.value ?? ""));
    if (problem)
      return { field: ["metafields", String(index), "value"], message: problem, code: "INVALID_VALUE" };
    return { type };
  }

  function setMetafield(input: Args, index: number): { metafield?: EmulatedMetafield; error?: UserError } {
    const checked = metafieldError(input, index);
    const owner = findOwner(input.ownerId);
    if ("message" in checked || !owner) return { error: checked as UserError };
    const { type } = checked;
    const namespace = String(input.namespace ?? "");
    const key = String(input.key ?? "");
    const value = String(input.value ?? "");
    const existing = owner.metafields.find((field) => field.namespace === namespace && field.key === key);
    if (existing) {
      Object.assign(existing, { value, type, updatedAt: timestamp() });
      return { metafield: existing };
    }
    const created = {
      id: store.newId("Metafield"),
      namespace,
      key,
      type,
      value,
      createdAt: timestamp(),
      updatedAt: timestamp(),
    };
    owner.metafields.push(created);
    if ("updatedAt" in owner) owner.updatedAt = timestamp();
    return { metafield: created };
  }

  const query: Record<string, RootResolver> = {
    customer: (args) => {
      const customer = findCustomer(args.id);
      return customer
        ? { ...customerView(customer), ...customerOrderFields(shop, customer.id, connection) }
        : null;
    },
    customers: (args) => {
      const search = typeof args.query === "string" ? args.query : "";
      const matches = [...shop.customers.values()].filter((customer) => matchesSearch(customer, search));
      return connection(matches.map(customerView), args);
    },
    segment: (args) => {
      const segment = shop.segments.get(String(args.id));
      return segment ? { __typename: "Segment", ...segment } : null;
    },
    // Relay's nodes(ids:): null for an id Shopify does not have (customers and segments are looked up).
    nodes: (args) =>
      (Array.isArray(args.ids) ? args.ids : []).map((id) => {
        const customer = findCustomer(id);
        if (customer) return customerView(customer);
        const segment = shop.segments.get(String(id));
        return segment ? { __typename: "Segment", ...segment } : null;
      }),
    segments: (args) =>
      connection(
        [...shop.segments.values()].map((segment) => ({ __typename: "Segment", ...segment })),
        args,
      ),
    metafieldDefinitions: (args) =>
      connection(
        shop.definitions
          .filter(
            (definition) =>
              (!args.ownerType || definition.ownerType === args.ownerType) &&
              (!args.namespace || definition.namespace === args.namespace),
          )
          .map((definition) => ({ __typename: "MetafieldDefinition", ...definition })),
        args,
      ),
  };

  const mutation: Record<string, RootResolver> = {
    tagsAdd: (args) => {
      const customer = findCustomer(args.id);
      if (!customer) return { node: null, userErrors: missingCustomer() };
      const injected = faultErrors("tags");
      if (injected) return { node: null, userErrors: injected };
      const tags = normalizeTags(args.tags);
      const next = mergeTags(customer.tags, tags);
      const errors = tagErrors(next);
      if (errors.length) return { node: null, userErrors: errors };
      customer.tags = next;
      customer.updatedAt = timestamp();
      return { node: customerView(customer), userErrors: [] };
    },
    tagsRemove: (args) => {
      const customer = findCustomer(args.id);
      if (!customer) return { node: null, userErrors: missingCustomer() };
      const injected = faultErrors("tags");
      if (injected) return { node: null, userErrors: injected };
      const removed = normalizeTags(args.tags).map((tag) => tag.toLowerCase());
      customer.tags = customer.tags.filter((tag) => !removed.includes(tag.toLowerCase()));
      customer.updatedAt = timestamp();
      return { node: customerView(customer), userErrors: [] };
    },
    customerUpdate: (args) => {
      const input = (args.input ?? {}) as Args;
      const customer = findCustomer(input.id);
      if (!customer) return { customer: null, userErrors: missingCustomer() };
      const injected = faultErrors("input");
      if (injected) return { customer: null, userErrors: injected };
      // `tags` replaces every tag (tagsAdd/tagsRemove keep the others). All or nothing: check, then write.
      const tags =
        input.tags === undefined || input.tags === null ? null : mergeTags([], normalizeTags(input.tags));
      const tagProblems = tags ? tagErrors(tags) : [];
      if (tagProblems.length) return { customer: null, userErrors: tagProblems };
      const metafields = (Array.isArray(input.metafields) ? (input.metafields as Args[]) : []).map(
        (metafield) => ({ ...metafield, ownerId: customer.id }),
      );
      const metafieldProblems = metafields
        .map((metafield, index) => metafieldError(metafield, index))
        .filter((checked): checked is UserError => "message" in checked)
        .map((error) => ({ ...error, field: ["input", ...(error.field ?? [])] }));
      if (metafieldProblems.length) return { customer: null, userErrors: metafieldProblems };
      if (tags) customer.tags = tags;
      for (const [index, metafield] of metafields.entries()) setMetafield(metafield, index);
      customer.updatedAt = timestamp();
      return { customer: customerView(customer), userErrors: [] };
    },
    metafieldsSet: (args) => {
      const inputs = Array.isArray(args.metafields) ? (args.metafields as Args[]) : [];
      if (inputs.length > 25)
        return {
          metafields: null,
          userErrors: [
            {
              field: ["metafields"],
              message: "Exceeded the maximum metafields input limit of 25.",
              code: "LESS_THAN_OR_EQUAL_TO",
            },
          ],
        };
      const injected = faultErrors("metafields");
      if (injected) return { metafields: null, userErrors: injected };
      // Shopify applies all or nothing: validate every input before writing any.
      const errors = inputs.flatMap((input, index) => {
        const owner = findOwner(input.ownerId);
        if (!owner)
          return [
            {
              field: ["metafields", String(index), "ownerId"],
              message: "Owner does not exist.",
              code: "INVALID",
            },
          ];
        const problem = input.type
          ? metafieldValueError(String(input.type), String(input.value ?? ""))
          : null;
        return problem
          ? [{ field: ["metafields", String(index), "value"], message: problem, code: "INVALID_VALUE" }]
          : [];
      });
      if (errors.length) return { metafields: null, userErrors: errors };
      const written: unknown[] = [];
      for (const [index, input] of inputs.entries()) {
        const result = setMetafield(input, index);
        if (result.error) return { metafields: null, userErrors: [result.error] };
        if (result.metafield) written.push(metafieldView(result.metafield, String(input.ownerId)));
      }
      return { metafields: written, userErrors: [] };
    },
    metafieldDefinitionCreate: (args) => {
      const input = (args.definition ?? {}) as Args;
      const namespace = String(input.namespace ?? "");
      const key = String(input.key ?? "");
      const ownerType = String(input.ownerType ?? "");
      if (
        shop.definitions.some(
          (definition) =>
            definition.namespace === namespace &&
            definition.key === key &&
            definition.ownerType === ownerType,
        )
      ) {
        return {
          createdDefinition: null,
          userErrors: [
            {
              field: ["definition", "key"],
              message: "Key is in use for Customer metafields on the 'nps' namespace.",
              code: "TAKEN",
            },
          ],
        };
      }
      const definition = {
        id: store.newId("MetafieldDefinition"),
        namespace,
        key,
        ownerType,
        type: String(input.type ?? ""),
        name: String(input.name ?? key),
        description: (input.description as string | undefined) ?? null,
      };
      shop.definitions.push(definition);
      return { createdDefinition: { __typename: "MetafieldDefinition", ...definition }, userErrors: [] };
    },
    segmentCreate: (args) => {
      const name = String(args.name ?? "").trim();
      if ([...shop.segments.values()].some((segment) => segment.name === name)) {
        return { segment: null, userErrors: [{ field: ["name"], message: "Name has already been taken" }] };
      }
      if (!name) return { segment: null, userErrors: [{ field: ["name"], message: "Name can't be blank" }] };
      const segment = {
        id: store.newId("Segment"),
        name,
        query: String(args.query ?? ""),
        creationDate: timestamp(),
        lastEditDate: timestamp(),
      };
      shop.segments.set(segment.id, segment);
      return { segment: { __typename: "Segment", ...segment }, userErrors: [] };
    },
    segmentUpdate: (args) => {
      const segment = shop.segments.get(String(args.id));
      if (!segment)
        return { segment: null, userErrors: [{ field: ["id"], message: "Segment does not exist" }] };
      if (typeof args.name === "string") segment.name = args.name;
      if (typeof args.query === "string") segment.query = args.query;
      segment.lastEditDate = timestamp();
      return { segment: { __typename: "Segment", ...segment }, userErrors: [] };
    },
  };

  const bulk = createBulkResolvers(store, shop);
  return {
    query: { ...query, ...bulk.query },
    mutation: { ...mutation, ...flowMutations(store, shop, options), ...bulk.mutation },
  };
}

/**
 * Shopify's customer search, for what the app uses: `tag:x`, `tag:'a:b'`, `-tag:x`, joined by AND/space. A tag
 * term matches a whole tag, ignoring case; inside a value a backslash escapes the next character (`tag:'it\'s'`).
 */
export function matchesSearch(customer: EmulatedCustomer, search: string): boolean {
  const terms = search.match(/-?tag:(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|(?:[^\s\\]|\\.)+)/g) ?? [];
  return terms.every((term) => {
    const negated = term.startsWith("-");
    const raw = term.replace(/^-?tag:/, "");
    const quoted = /^(['"])[\s\S]*\1$/.test(raw) && raw.length >= 2;
    const value = (quoted ? raw.slice(1, -1) : raw).replace(/\\(.)/g, "$1").trim().toLowerCase();
    const has = customer.tags.some((tag) => tag.trim().toLowerCase() === value);
    return negated ? !has : has;
  });
}
