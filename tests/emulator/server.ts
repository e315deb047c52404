import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  execute,
  type GraphQLError,
  getOperationAST,
  Kind,
  type OperationDefinitionNode,
  parse,
  validate,
} from "graphql";
import { bulkState, handleBulkHttp, isBulkPath } from "./bulk";
import { MAX_SINGLE_QUERY_COST, type ShopifyPlan } from "./plans";
import { requestedQueryCost } from "./cost";
import { createResolvers } from "./resolvers";
import { ADMIN_API_VERSION, loadAdminSchema } from "./schema";
import { type CustomerInput, EmulatorStore, type Fault, type RequestLogEntry } from "./store";

export type { ShopifyPlan };

export interface EmulatorOptions {
  port?: number;
  host?: string;
  now?: () => number;
}

export interface RunningEmulator {
  url: string;
  store: EmulatorStore;
  close(): Promise<void>;
}

const GRAPHQL_PATH = `/admin/api/${ADMIN_API_VERSION}/graphql.json`;
const INVALID_TOKEN = {
  errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
};

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "Content-Type": "application/json" });
  response.end(JSON.stringify(body));
}

function errorJson(error: GraphQLError, code: string) {
  return { message: error.message, locations: error.locations, extensions: { code } };
}

async function handleGraphql(store: EmulatorStore, request: IncomingMessage, response: ServerResponse) {
  const token = request.headers["x-shopify-access-token"];
  const shop = store.shopForToken(typeof token === "string" ? token : null);
  if (!shop) return send(response, 401, INVALID_TOKEN);
  let body: { query?: unknown; variables?: unknown; operationName?: unknown };
  try {
    body = JSON.parse(await readBody(request));
  } catch {
    return send(response, 400, { errors: [{ message: "Invalid JSON in request body" }] });
  }
  const variables = (body.variables ?? {}) as Record<string, unknown>;
  const operationName = typeof body.operationName === "string" ? body.operationName : null;
  const schema = loadAdminSchema();
  let document: ReturnType<typeof parse>;
  try {
    document = parse(String(body.query ?? ""));
  } catch (error) {
    return send(response, 200, { errors: [errorJson(error as GraphQLError, "PARSE_ERROR")] });
  }
  const invalid = validate(schema, document);
  if (invalid.length > 0) {
    return send(response, 200, {
      errors: invalid.map((error) => errorJson(error, "GRAPHQL_VALIDATION_FAILED")),
    });
  }
  const operation = getOperationAST(document, operationName) as OperationDefinitionNode | null;
  if (!operation)
    return send(response, 200, {
      errors: [{ message: "Operation not found", extensions: { code: "BAD_REQUEST" } }],
    });
  const rootFields = operation.selectionSet.selections.flatMap((selection) =>
    selection.kind === Kind.FIELD ? [selection.name.value] : [],
  );
  const cost = requestedQueryCost(schema, document, operation, variables);
  const now = store.now();
  let entry: RequestLogEntry | null = null;
  const log = (throttled: boolean, fault: Fault | null) => {
    entry = {
      shop: shop.domain,
      // Shopify's clients send no operationName with a single-operation document; the document names it.
      operationName: operationName ?? operation.name?.value ?? null,
      rootFields,
      requestedCost: cost,
      throttled,
      fault: fault?.kind ?? null,
      at: new Date(now).toISOString(),
    };
    store.requests.push(entry);
  };
  const costExtension = (actual: number | null) => ({
    cost: {
      requestedQueryCost: cost,
      actualQueryCost: actual,
      throttleStatus: shop.bucket.status(store.now()),
    },
  });

  if (cost > MAX_SINGLE_QUERY_COST) {
    log(false, null);
    return send(response, 200, {
      errors: [
        {
          message: `Query cost is ${cost}, which exceeds the single query max cost limit (${MAX_SINGLE_QUERY_COST}).`,
          extensions: { code: "MAX_COST_EXCEEDED", cost, maxCost: MAX_SINGLE_QUERY_COST },
        },
      ],
      extensions: costExtension(null),
    });
  }

  const fault = store.takeFault(shop.domain, rootFields);
  log(fault?.kind === "throttle", fault);
  if (fault?.kind === "http500" || fault?.kind === "http503") {
    return send(response, fault.kind === "http500" ? 500 : 503, {
      errors: "Internal Server Error (emulator fault)",
    });
  }
  if (fault?.kind === "networkReset") return void request.socket.destroy();
  if (fault?.kind === "timeout") {
    setTimeout(() => request.socket.destroy(), fault.timeoutMs ?? 10_000).unref();
    return;
  }
  if (fault?.kind === "throttle") shop.bucket.empty(now);

  if (!shop.bucket.take(cost, now)) {
    store.requests[store.requests.length - 1]!.throttled = true;
    return send(response, 200, {
      errors: [
        {
          message: "Throttled",
          extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
        },
      ],
      extensions: costExtension(null),
    });
  }

  const resolvers = createResolvers(store, shop, { userErrorFault: fault?.kind === "userError" });
  const table = operation.operation === "mutation" ? resolvers.mutation : resolvers.query;
  const missing = rootFields.filter((field) => field !== "__typename" && !(field in table));
  if (missing.length > 0) {
    shop.bucket.refund(cost, store.now());
    return send(response, 200, {
      errors: missing.map((field) => ({
        message: `${field} is not implemented by the NPS Sync emulator`,
        extensions: { code: "NOT_IMPLEMENTED" },
      })),
    });
  }
  const result = await execute({
    schema,
    document,
    operationName,
    variableValues: variables,
    rootValue: table,
    typeResolver: (value) => (value as { __typename?: string }).__typename,
  });
  if (entry) store.afterExecute?.(entry, shop);
  send(response, 200, {
    ...(result.data ? { data: result.data } : {}),
    ...(result.errors
      ? { errors: result.errors.map((error) => errorJson(error, "INTERNAL_SERVER_ERROR")) }
      : {}),
    extensions: costExtension(cost),
  });
}

async function handleControl(
  store: EmulatorStore,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
) {
  const path = url.pathname;
  const method = request.method ?? "GET";
  const json = async () => JSON.parse((await readBody(request)) || "{}") as Record<string, unknown>;
  if (path === "/__emulator/state" && method === "GET") {
    return send(response, 200, store.snapshot(url.searchParams.get("shop") ?? undefined));
  }
  if (path === "/__emulator/shops" && method === "POST") {
    const input = await json();
    if (typeof input.domain !== "string" || typeof input.accessToken !== "string") {
      return send(response, 400, {
        errors: [{ field: "domain", message: "domain and accessToken are required" }],
      });
    }
    const shop = store.registerShop({
      domain: input.domain,
      accessToken: input.accessToken,
      plan: input.plan as ShopifyPlan | undefined,
      name: input.name as string | undefined,
      currencyCode: input.currencyCode as string | undefined,
    });
    return send(response, 200, { domain: shop.domain, plan: shop.plan });
  }
  const customersPath = /^\/__emulator\/shops\/([^/]+)\/customers$/.exec(path);
  if (customersPath && method === "POST") {
    const domain = decodeURIComponent(customersPath[1] ?? "");
    if (!store.shops.has(domain))
      return send(response, 404, { errors: [{ field: "shop", message: "unknown shop" }] });
    const input = await json();
    store.upsertCustomers(domain, (input.customers ?? []) as CustomerInput[]);
    return send(response, 200, { customers: store.shops.get(domain)?.customers.size ?? 0 });
  }
  const ordersPath = /^\/__emulator\/shops\/([^/]+)\/orders$/.exec(path);
  if (ordersPath && method === "POST") {
    const domain = decodeURIComponent(ordersPath[1] ?? "");
    if (!store.shops.has(domain))
      return send(response, 404, { errors: [{ field: "shop", message: "unknown shop" }] });
    const input = await json();
    store.upsertOrders(domain, (input.orders ?? []) as { id: number | string }[]);
    return send(response, 200, { orders: store.shops.get(domain)?.orders.size ?? 0 });
  }
  if (path === "/__emulator/faults" && method === "POST") {
    store.faults.push((await json()) as unknown as Fault);
    return send(response, 200, { faults: store.faults.length });
  }
  if (path === "/__emulator/faults" && method === "DELETE") {
    store.faults.length = 0;
    return send(response, 200, { faults: 0 });
  }
  if (path === "/__emulator/requests") {
    if (method === "DELETE") store.requests.length = 0;
    const shop = url.searchParams.get("shop");
    return send(response, 200, { requests: store.requests.filter((entry) => !shop || entry.shop === shop) });
  }
  if (path === "/__emulator/reset" && method === "POST") {
    store.reset();
    bulkState(store).reset();
    return send(response, 200, { ok: true });
  }
  send(response, 404, { errors: [{ field: "path", message: `no emulator endpoint ${method} ${path}` }] });
}

/** A local stand-in for Shopify's Admin API, listening on loopback. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const store = new EmulatorStore(options.now);
  loadAdminSchema();
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://emulator.local");
    const work =
      url.pathname === GRAPHQL_PATH && request.method === "POST"
        ? handleGraphql(store, request, response)
        : isBulkPath(url.pathname)
          ? handleBulkHttp(store, request, response, url)
          : url.pathname.startsWith("/__emulator/")
            ? handleControl(store, request, response, url)
            : Promise.resolve(send(response, 404, { errors: "Not Found" }));
    work.catch((error: unknown) => {
      if (!response.headersSent)
        send(response, 500, { errors: `emulator error: ${(error as Error).message}` });
    });
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const { port } = server.address() as AddressInfo;
  bulkState(store).origin = `http://${host}:${port}`;
  return {
    url: `http://${host}:${port}`,
    store,
    close: () =>
      new Promise<void>((resolve) => {
        bulkState(store).reset();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
