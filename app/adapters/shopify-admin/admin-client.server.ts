import { createAdminApiClient } from "@shopify/admin-api-client";
import { z } from "zod";
import { type BucketObservation, backoffDelay, waitBeforeRequest } from "~/domain/leaky-bucket";
import { ADMIN_API_VERSION } from "./api-version";

// The app's one way to call the Admin GraphQL API. Shopify's `admin.graphql` does not retry cost-based
// THROTTLED errors, so this adapter paces each shop by the throttle status Shopify reports, waits for the
// bucket to refill instead of failing, and retries 5xx/timeouts with jittered backoff.

export type AdminFailureKind = "throttled" | "server" | "network" | "unauthorized" | "graphql";

export class AdminApiError extends Error {
  constructor(
    message: string,
    readonly kind: AdminFailureKind,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "AdminApiError";
  }
}

const throttleStatusSchema = z.object({
  maximumAvailable: z.number(),
  currentlyAvailable: z.number(),
  restoreRate: z.number(),
});
const costSchema = z.object({
  requestedQueryCost: z.number().nullable().optional(),
  actualQueryCost: z.number().nullable().optional(),
  throttleStatus: throttleStatusSchema,
});

export interface AdminClientOptions {
  shop: string;
  accessToken: string;
  /** Replaces https://<shop> in Admin API URLs; set only to reach a local emulator. */
  apiOrigin?: string;
  buckets?: BucketRegistry;
  timeoutMs?: number;
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

export interface AdminResponse<T> {
  data: T;
  cost: z.infer<typeof costSchema> | null;
}

export interface AdminClient {
  request<T>(
    query: string,
    variables?: Record<string, unknown>,
    estimatedCost?: number,
  ): Promise<AdminResponse<T>>;
}

/** Last throttle status seen per shop, shared by every client of this process. */
export class BucketRegistry {
  private readonly buckets = new Map<string, BucketObservation>();
  get(shop: string): BucketObservation | undefined {
    return this.buckets.get(shop);
  }
  observe(shop: string, status: z.infer<typeof throttleStatusSchema>, at: number): void {
    this.buckets.set(shop, { ...status, observedAt: at });
  }
}

export const sharedBuckets = new BucketRegistry();

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function fetchThrough(apiOrigin: string | undefined, timeoutMs: number) {
  return async (url: string, init?: { method?: string; headers?: HeadersInit; body?: string }) => {
    const target = apiOrigin ? apiOrigin.replace(/\/$/, "") + new URL(url).pathname : url;
    return fetch(target, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  };
}

interface GraphqlErrorLike {
  message?: string;
  extensions?: { code?: string };
}

function isThrottled(errors: GraphqlErrorLike[] | undefined): boolean {
  return (errors ?? []).some((error) => error.extensions?.code === "THROTTLED");
}

export function createAdminClient(options: AdminClientOptions): AdminClient {
  const buckets = options.buckets ?? sharedBuckets;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const maxAttempts = options.maxAttempts ?? 5;
  const maxThrottleWaits = 20;
  const client = createAdminApiClient({
    storeDomain: options.shop,
    apiVersion: ADMIN_API_VERSION,
    accessToken: options.accessToken,
    customFetchApi: fetchThrough(options.apiOrigin, options.timeoutMs ?? 15_000),
  });

  return {
    async request<T>(query: string, variables?: Record<string, unknown>, estimatedCost = 10) {
      let failures = 0;
      let throttleWaits = 0;
      for (;;) {
        const wait = waitBeforeRequest(buckets.get(options.shop), estimatedCost, now());
        if (wait > 0) await sleep(wait);

        let response: Awaited<ReturnType<typeof client.request>>;
        try {
          response = await client.request(query, { variables });
        } catch (error) {
          response = { errors: { message: (error as Error).message } } as typeof response;
        }
        const cost = costSchema.safeParse(response.extensions?.cost);
        if (cost.success) buckets.observe(options.shop, cost.data.throttleStatus, now());

        const errors = response.errors;
        if (!errors) return { data: response.data as T, cost: cost.success ? cost.data : null };

        const graphQLErrors = errors.graphQLErrors as GraphqlErrorLike[] | undefined;
        if (isThrottled(graphQLErrors)) {
          throttleWaits += 1;
          if (throttleWaits > maxThrottleWaits) {
            throw new AdminApiError(
              "Still throttled after waiting for the bucket to refill",
              "throttled",
              true,
            );
          }
          const status = buckets.get(options.shop);
          // Without a status, fall back to a conservative second per wait.
          await sleep(status ? Math.max(100, waitBeforeRequest(status, estimatedCost, now())) : 1000);
          continue;
        }
        const status = errors.networkStatusCode;
        if (status === 401 || status === 403) {
          throw new AdminApiError(`Admin API refused the access token (${status})`, "unauthorized", false);
        }
        if (graphQLErrors?.length && status !== undefined && status < 500) {
          const messages = graphQLErrors.map((error) => error.message).join("; ");
          throw new AdminApiError(`Admin API GraphQL error: ${messages}`, "graphql", false);
        }
        failures += 1;
        const kind: AdminFailureKind = status !== undefined && status >= 500 ? "server" : "network";
        if (failures >= maxAttempts) {
          throw new AdminApiError(
            `Admin API ${kind} failure after ${failures} attempts: ${errors.message}`,
            kind,
            true,
          );
        }
        await sleep(backoffDelay(failures, random()));
      }
    },
  };
}
