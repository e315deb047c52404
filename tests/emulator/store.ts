import type { ReceivedFlowTrigger } from "./flow";
import { Bucket, PLAN_LIMITS, type ShopifyPlan } from "./plans";

// The emulator's in-memory Shopify: shops with their customers, metafields, segments and definitions.
export interface EmulatedMetafield {
  id: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
  createdAt: string;
  updatedAt: string;
}

export interface EmulatedCustomer {
  id: string; // gid
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  tags: string[];
  numberOfOrders: number;
  amountSpent: { amount: string; currencyCode: string };
  createdAt: string;
  updatedAt: string;
  metafields: EmulatedMetafield[];
}

export interface EmulatedOrder {
  id: string; // gid
  name: string;
  customerId: string | null;
  createdAt: string;
  metafields: EmulatedMetafield[];
}

export interface EmulatedSegment {
  id: string;
  name: string;
  query: string;
  creationDate: string;
  lastEditDate: string;
}

export interface EmulatedDefinition {
  id: string;
  namespace: string;
  key: string;
  type: string;
  name: string;
  ownerType: string;
  description: string | null;
}

export interface EmulatedShop {
  domain: string;
  accessToken: string;
  plan: ShopifyPlan;
  name: string;
  currencyCode: string;
  bucket: Bucket;
  customers: Map<string, EmulatedCustomer>;
  orders: Map<string, EmulatedOrder>;
  segments: Map<string, EmulatedSegment>;
  definitions: EmulatedDefinition[];
  flowTriggers: ReceivedFlowTrigger[];
}

export type FaultKind = "http500" | "http503" | "timeout" | "throttle" | "userError" | "networkReset";

export interface Fault {
  kind: FaultKind;
  shop?: string;
  operation?: string;
  times?: number;
  probability?: number;
  timeoutMs?: number;
}

export interface RequestLogEntry {
  shop: string;
  operationName: string | null;
  rootFields: string[];
  requestedCost: number;
  throttled: boolean;
  fault: FaultKind | null;
  at: string;
}

export interface CustomerInput {
  id: number | string;
  email?: string;
  firstName?: string;
  lastName?: string;
  tags?: string[];
  numberOfOrders?: number;
  amountSpent?: { amount: string; currencyCode: string };
  createdAt?: string;
}

export function customerGid(id: number | string): string {
  const text = String(id);
  return text.startsWith("gid://") ? text : `gid://shopify/Customer/${text}`;
}

export class EmulatorStore {
  readonly shops = new Map<string, EmulatedShop>();
  readonly tokens = new Map<string, string>();
  readonly faults: Fault[] = [];
  readonly requests: RequestLogEntry[] = [];
  private nextId = 1;
  random: () => number = Math.random;
  /**
   * Called after a GraphQL request has run and before its answer is sent: a test's way to make a change land
   * between two of the app's requests (a merchant adding a tag after the app read the tags, say).
   */
  afterExecute: ((request: RequestLogEntry, shop: EmulatedShop) => void) | null = null;

  constructor(readonly now: () => number = () => Date.now()) {}

  newId(type: string): string {
    const id = this.nextId;
    this.nextId += 1;
    return `gid://shopify/${type}/${id}`;
  }

  registerShop(input: {
    domain: string;
    accessToken: string;
    plan?: ShopifyPlan;
    name?: string;
    currencyCode?: string;
  }) {
    const plan = input.plan ?? "standard";
    const existing = this.shops.get(input.domain);
    const limits = PLAN_LIMITS[plan];
    if (existing) {
      this.tokens.delete(existing.accessToken);
      existing.accessToken = input.accessToken;
      if (existing.plan !== plan)
        existing.bucket = new Bucket(limits.maximumAvailable, limits.restoreRate, this.now());
      existing.plan = plan;
      existing.name = input.name ?? existing.name;
    } else {
      this.shops.set(input.domain, {
        domain: input.domain,
        accessToken: input.accessToken,
        plan,
        name: input.name ?? input.domain,
        currencyCode: input.currencyCode ?? "USD",
        bucket: new Bucket(limits.maximumAvailable, limits.restoreRate, this.now()),
        customers: new Map(),
        orders: new Map(),
        segments: new Map(),
        definitions: [],
        flowTriggers: [],
      });
    }
    this.tokens.set(input.accessToken, input.domain);
    return this.shops.get(input.domain) as EmulatedShop;
  }

  shopForToken(token: string | null): EmulatedShop | null {
    const domain = token ? this.tokens.get(token) : undefined;
    return domain ? (this.shops.get(domain) ?? null) : null;
  }

  upsertCustomers(domain: string, customers: CustomerInput[]): void {
    const shop = this.shops.get(domain);
    if (!shop) throw new Error(`unknown shop ${domain}`);
    const timestamp = new Date(this.now()).toISOString();
    for (const input of customers) {
      const id = customerGid(input.id);
      const existing = shop.customers.get(id);
      shop.customers.set(id, {
        id,
        email: input.email ?? existing?.email ?? null,
        firstName: input.firstName ?? existing?.firstName ?? null,
        lastName: input.lastName ?? existing?.lastName ?? null,
        tags: input.tags ?? existing?.tags ?? [],
        numberOfOrders: input.numberOfOrders ?? existing?.numberOfOrders ?? 0,
        amountSpent: input.amountSpent ??
          existing?.amountSpent ?? { amount: "0.0", currencyCode: shop.currencyCode },
        createdAt: input.createdAt ?? existing?.createdAt ?? timestamp,
        updatedAt: timestamp,
        metafields: existing?.metafields ?? [],
      });
    }
  }

  upsertOrders(
    domain: string,
    orders: { id: number | string; name?: string; customerId?: number | string | null; createdAt?: string }[],
  ): void {
    const shop = this.shops.get(domain);
    if (!shop) throw new Error(`unknown shop ${domain}`);
    for (const input of orders) {
      const id = String(input.id).startsWith("gid://") ? String(input.id) : `gid://shopify/Order/${input.id}`;
      const existing = shop.orders.get(id);
      shop.orders.set(id, {
        id,
        name: input.name ?? existing?.name ?? `#${id.split("/").pop()}`,
        customerId: input.customerId ? customerGid(input.customerId) : (existing?.customerId ?? null),
        createdAt: input.createdAt ?? existing?.createdAt ?? new Date(this.now()).toISOString(),
        metafields: existing?.metafields ?? [],
      });
    }
  }

  /** The first fault that applies to this request, consumed. */
  takeFault(shop: string, rootFields: string[]): Fault | null {
    for (const [index, fault] of this.faults.entries()) {
      if (fault.shop && fault.shop !== shop) continue;
      if (fault.operation && !rootFields.includes(fault.operation)) continue;
      if (fault.probability !== undefined && this.random() >= fault.probability) continue;
      if (fault.times !== undefined) {
        fault.times -= 1;
        if (fault.times <= 0) this.faults.splice(index, 1);
      }
      return fault;
    }
    return null;
  }

  reset(): void {
    this.shops.clear();
    this.tokens.clear();
    this.faults.length = 0;
    this.requests.length = 0;
    this.afterExecute = null;
  }

  snapshot(domain?: string) {
    const shops = [...this.shops.values()].filter((shop) => !domain || shop.domain === domain);
    return {
      shops: shops.map((shop) => ({
        domain: shop.domain,
        plan: shop.plan,
        name: shop.name,
        customers: [...shop.customers.values()].map((customer) => ({
          id: customer.id,
          email: customer.email,
          tags: customer.tags,
          metafields: customer.metafields.map(({ namespace, key, value, type }) => ({
            namespace,
            key,
            value,
            type,
          })),
        })),
        orders: [...shop.orders.values()].map((order) => ({
          id: order.id,
          name: order.name,
          metafields: order.metafields.map(({ namespace, key, value, type }) => ({
            namespace,
            key,
            value,
            type,
          })),
        })),
        segments: [...shop.segments.values()].map(({ id, name, query }) => ({ id, name, query })),
        metafieldDefinitions: shop.definitions.map(({ namespace, key, type, ownerType }) => ({
          namespace,
          key,
          type,
          ownerType,
        })),
        flowTriggers: shop.flowTriggers,
      })),
    };
  }
}
