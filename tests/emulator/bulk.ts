import { createHmac, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type DocumentNode,
  execute,
  type GraphQLError,
  getOperationAST,
  Kind,
  type OperationDefinitionNode,
  parse,
  validate,
} from "graphql";
import { connection, createResolvers } from "./resolvers";
import { loadAdminSchema } from "./schema";
import type { EmulatedShop, EmulatorStore } from "./store";

// Shopify's bulk import flow, as the app uses it (https://shopify.dev/docs/api/usage/bulk-operations/imports):
// stagedUploadsCreate(BULK_MUTATION_VARIABLES) → a multipart POST of the JSONL file to the staged target →
// bulkOperationRunMutation(mutation, stagedUploadPath: the target's `key`) → bulkOperation(id) /
// currentBulkOperation(type: MUTATION) until COMPLETED → the results JSONL at `url`, one line per input line with
// `__lineNumber`. Lines run through the emulator's ordinary mutation resolvers, a chunk at a time, and are not
// charged to the shop's cost bucket (Shopify does not charge them either). API 2026-01 and later allow five bulk
// mutations per shop at once; a sixth is refused with LIMIT_REACHED. Files above 100 MB are refused by the
// storage, as Google Cloud Storage answers Shopify's staged uploads (EntityTooLarge).

export type BulkOperationStatus = "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELING" | "CANCELED";
export type BulkOperationErrorCode = "ACCESS_DENIED" | "INTERNAL_SERVER_ERROR" | "TIMEOUT";
export type BulkMutationErrorCode =
  | "INTERNAL_FILE_SERVER_ERROR"
  | "INVALID_MUTATION"
  | "INVALID_STAGED_UPLOAD_FILE"
  | "LIMIT_REACHED"
  | "NO_SUCH_FILE"
  | "OPERATION_IN_PROGRESS";

export interface EmulatedBulkOperation {
  id: string;
  shop: string;
  type: "MUTATION";
  status: BulkOperationStatus;
  errorCode: BulkOperationErrorCode | null;
  createdAt: string;
  completedAt: string | null;
  objectCount: number;
  query: string;
  rootFields: string[];
  clientIdentifier: string | null;
  fileSize: number | null;
  url: string | null;
  partialDataUrl: string | null;
  lines: Record<string, unknown>[];
  results: string[];
}

/**
 * Injected bulk failures. `fail`: the next operation (of `shop`, if given) stops as FAILED after `afterLines` lines
 * with `errorCode`, leaving a partialDataUrl. `reject`: the next bulkOperationRunMutation answers a user error with
 * `code`. Each fault applies `times` times (default once).
 */
export type BulkFault =
  | {
      kind: "fail";
      shop?: string;
      /** Only operations whose mutation has this root field (say "tagsAdd"). */
      operation?: string;
      afterLines?: number;
      errorCode?: BulkOperationErrorCode;
      times?: number;
    }
  | { kind: "reject"; shop?: string; code: BulkMutationErrorCode; times?: number };

export interface BulkOptions {
  /** Lines run per tick of an operation. */
  linesPerChunk: number;
  /** Pause between two ticks of one operation: with linesPerChunk, how long an import takes. */
  chunkIntervalMs: number;
  /** Bulk mutations one shop may run at once (5 since API 2026-01). */
  concurrency: number;
  /** Largest staged upload accepted, in bytes (100 MB at Shopify). */
  maxFileBytes: number;
}

export const DEFAULT_BULK_OPTIONS: BulkOptions = {
  linesPerChunk: 50,
  chunkIntervalMs: 50,
  concurrency: 5,
  maxFileBytes: 100 * 1024 * 1024,
};

const UPLOAD_PATH = "/__staged-uploads";
const RESULTS_PATH = "/__bulk-results/";
const CONTROL_PATH = "/__emulator/bulk/";
const SIGNING_SECRET = "emulator-staged-upload-signing";

interface StagedUpload {
  shop: string;
  key: string;
  content: string | null;
}

export class BulkState {
  origin = "";
  options: BulkOptions = { ...DEFAULT_BULK_OPTIONS };
  readonly uploads = new Map<string, StagedUpload>();
  readonly operations = new Map<string, EmulatedBulkOperation>();
  readonly files = new Map<string, { operationId: string; partial: boolean }>();
  readonly faults: BulkFault[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private nextId = 1;

  newOperationId(): string {
    const id = `gid://shopify/BulkOperation/${this.nextId}`;
    this.nextId += 1;
    return id;
  }

  schedule(run: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }

  takeFault<K extends BulkFault["kind"]>(
    kind: K,
    shop: string,
    rootFields: string[] = [],
  ): Extract<BulkFault, { kind: K }> | null {
    const index = this.faults.findIndex(
      (fault) =>
        fault.kind === kind &&
        (!fault.shop || fault.shop === shop) &&
        (fault.kind !== "fail" || !fault.operation || rootFields.includes(fault.operation)),
    );
    const fault = this.faults[index];
    if (!fault) return null;
    const times = (fault.times ?? 1) - 1;
    if (times <= 0) this.faults.splice(index, 1);
    else fault.times = times;
    return fault as Extract<BulkFault, { kind: K }>;
  }

  reset(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.uploads.clear();
    this.operations.clear();
    this.files.clear();
    this.faults.length = 0;
    this.options = { ...DEFAULT_BULK_OPTIONS };
  }
}

const states = new WeakMap<EmulatorStore, BulkState>();

export function bulkState(store: EmulatorStore): BulkState {
  let state = states.get(store);
  if (!state) {
    state = new BulkState();
    states.set(store, state);
  }
  return state;
}

function sign(key: string): string {
  return createHmac("sha256", SIGNING_SECRET).update(key).digest("hex");
}

function operationView(operation: EmulatedBulkOperation) {
  return {
    __typename: "BulkOperation",
    id: operation.id,
    type: operation.type,
    status: operation.status,
    errorCode: operation.errorCode,
    createdAt: operation.createdAt,
    completedAt: operation.completedAt,
    // UnsignedInt64 travels as a string, as Shopify sends it.
    objectCount: String(operation.objectCount),
    rootObjectCount: String(operation.objectCount),
    fileSize: operation.fileSize === null ? null : String(operation.fileSize),
    url: operation.url,
    partialDataUrl: operation.partialDataUrl,
    query: operation.query,
  };
}

type Args = Record<string, unknown>;
type BulkUserError = { field: string[] | null; message: string; code: BulkMutationErrorCode };

const refuse = (code: BulkMutationErrorCode, message: string, field: string[] | null = null) => ({
  bulkOperation: null,
  userErrors: [{ field, message, code } satisfies BulkUserError],
});

function mutationDocument(
  text: string,
): { document: DocumentNode; rootFields: string[] } | { error: string } {
  let document: DocumentNode;
  try {
    document = parse(text);
  } catch (error) {
    return { error: (error as GraphQLError).message };
  }
  const problems = validate(loadAdminSchema(), document);
  if (problems.length > 0) return { error: problems.map((problem) => problem.message).join("; ") };
  const operation = getOperationAST(document) as OperationDefinitionNode | null;
  if (operation?.operation !== "mutation") return { error: "The document must hold exactly one mutation." };
  const rootFields = operation.selectionSet.selections.flatMap((selection) =>
    selection.kind === Kind.FIELD ? [selection.name.value] : [],
  );
  return { document, rootFields };
}

function parseLines(content: string): Record<string, unknown>[] | { badLine: number } {
  const lines: Record<string, unknown>[] = [];
  const raw = content.split("\n");
  for (const [index, line] of raw.entries()) {
    if (line.trim() === "") continue;
    try {
      const value = JSON.parse(line) as unknown;
      if (typeof value !== "object" || value === null || Array.isArray(value)) return { badLine: index + 1 };
      lines.push(value as Record<string, unknown>);
    } catch {
      return { badLine: index + 1 };
    }
  }
  return lines;
}

/** Runs the operation a chunk per tick, each line through the ordinary mutation resolvers. */
function tick(
  store: EmulatorStore,
  state: BulkState,
  operation: EmulatedBulkOperation,
  document: DocumentNode,
) {
  const shop = store.shops.get(operation.shop);
  if (operation.status === "CANCELING" || !shop) {
    operation.status = "CANCELED";
    return;
  }
  operation.status = "RUNNING";
  const fault =
    operation.objectCount === 0 ? state.takeFault("fail", operation.shop, operation.rootFields) : null;
  const failAt = fault ? (fault.afterLines ?? 0) : null;
  runChunk(store, state, shop, operation, document, failAt, fault?.errorCode ?? "INTERNAL_SERVER_ERROR");
}

function runChunk(
  store: EmulatorStore,
  state: BulkState,
  shop: EmulatedShop,
  operation: EmulatedBulkOperation,
  document: DocumentNode,
  failAt: number | null,
  errorCode: BulkOperationErrorCode,
): void {
  if (operation.status === "CANCELING") {
    operation.status = "CANCELED";
    return;
  }
  const schema = loadAdminSchema();
  const end = Math.min(operation.lines.length, operation.objectCount + state.options.linesPerChunk);
  const resolvers = createResolvers(store, shop, { userErrorFault: false });
  while (operation.objectCount < end) {
    if (failAt !== null && operation.objectCount >= failAt) {
      const token = randomUUID();
      state.files.set(token, { operationId: operation.id, partial: true });
      operation.status = "FAILED";
      operation.errorCode = errorCode;
      operation.partialDataUrl =
        operation.results.length > 0 ? `${state.origin}${RESULTS_PATH}${token}.jsonl` : null;
      return;
    }
    const lineNumber = operation.objectCount;
    const result = execute({
      schema,
      document,
      variableValues: operation.lines[lineNumber],
      rootValue: resolvers.mutation,
      typeResolver: (value) => (value as { __typename?: string }).__typename,
    });
    // The emulator's resolvers are synchronous, so execute answers at once.
    if (result instanceof Promise) throw new Error("bulk lines need synchronous resolvers");
    operation.results.push(
      JSON.stringify({
        ...(result.data ? { data: result.data } : {}),
        ...(result.errors ? { errors: result.errors.map((error) => ({ message: error.message })) } : {}),
        __lineNumber: lineNumber,
      }),
    );
    operation.objectCount += 1;
  }
  if (operation.objectCount < operation.lines.length) {
    state.schedule(
      () => runChunk(store, state, shop, operation, document, failAt, errorCode),
      state.options.chunkIntervalMs,
    );
    return;
  }
  if (failAt !== null && failAt >= operation.lines.length) {
    // A failure set after the last line fails the operation at its end, all lines done.
    operation.status = "FAILED";
    operation.errorCode = errorCode;
    return;
  }
  const token = randomUUID();
  state.files.set(token, { operationId: operation.id, partial: false });
  operation.status = "COMPLETED";
  operation.completedAt = new Date(store.now()).toISOString();
  operation.url = `${state.origin}${RESULTS_PATH}${token}.jsonl`;
  operation.fileSize = Buffer.byteLength(`${operation.results.join("\n")}\n`);
}

function matchesFilter(operation: EmulatedBulkOperation, filter: string): boolean {
  const terms = filter.match(/\w+:(?:'[^']*'|"[^"]*"|\S+)/g) ?? [];
  return terms.every((term) => {
    const [name, ...rest] = term.split(":");
    const value = rest
      .join(":")
      .replace(/^['"]|['"]$/g, "")
      .toLowerCase();
    if (name === "status") return operation.status.toLowerCase() === value;
    if (name === "operation_type") return operation.type.toLowerCase() === value;
    if (name === "created_at") {
      const match = /^(>=|<=|>|<)?(.+)$/.exec(value);
      const at = Date.parse(match?.[2] ?? "");
      const created = Date.parse(operation.createdAt);
      if (Number.isNaN(at)) return true;
      switch (match?.[1]) {
        case "<":
          return created < at;
        case "<=":
          return created <= at;
        case ">":
          return created > at;
        default:
          return created >= at;
      }
    }
    return true;
  });
}

export function createBulkResolvers(store: EmulatorStore, shop: EmulatedShop) {
  const state = bulkState(store);
  const own = (id: unknown) => {
    const operation = state.operations.get(String(id));
    return operation && operation.shop === shop.domain ? operation : null;
  };
  const ownOperations = () =>
    [...state.operations.values()]
      .filter((operation) => operation.shop === shop.domain)
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id.localeCompare(a.id));

  const query = {
    bulkOperation: (args: Args) => {
      const operation = own(args.id);
      return operation ? operationView(operation) : null;
    },
    currentBulkOperation: (args: Args) => {
      const type = (args.type as string | undefined) ?? "QUERY";
      const operation = ownOperations().find((candidate) => candidate.type === type);
      return operation ? operationView(operation) : null;
    },
    bulkOperations: (args: Args) => {
      const filter = typeof args.query === "string" ? args.query : "";
      const list = ownOperations().filter((operation) => matchesFilter(operation, filter));
      return connection((args.reverse ? list.reverse() : list).map(operationView), args);
    },
  };

  const mutation = {
    stagedUploadsCreate: (args: Args) => {
      const inputs = Array.isArray(args.input) ? (args.input as Args[]) : [];
      const unsupported = inputs.findIndex((input) => input.resource !== "BULK_MUTATION_VARIABLES");
      if (unsupported >= 0) {
        return {
          stagedTargets: null,
          userErrors: [
            {
              field: ["input", String(unsupported), "resource"],
              message: "Only BULK_MUTATION_VARIABLES uploads are implemented by the NPS Sync emulator",
            },
          ],
        };
      }
      const stagedTargets = inputs.map((input) => {
        const filename = String(input.filename ?? "bulk.jsonl").replace(/[^\w.-]/g, "_");
        const key = `tmp/${shop.domain.split(".")[0]}/bulk/${randomUUID()}/${filename}`;
        state.uploads.set(key, { shop: shop.domain, key, content: null });
        const parameters = {
          "Content-Type": String(input.mimeType ?? "text/jsonl"),
          success_action_status: "201",
          acl: "private",
          key,
          "x-goog-algorithm": "GOOG4-RSA-SHA256",
          "x-goog-credential":
            "emulator@nps-sync.iam.gserviceaccount.com/20261125/auto/storage/goog4_request",
          "x-goog-date": new Date(store.now()).toISOString().replace(/[-:]|\.\d+/g, ""),
          "x-goog-signature": sign(key),
          policy: Buffer.from(JSON.stringify({ conditions: [{ key }] })).toString("base64"),
        };
        return {
          __typename: "StagedMediaUploadTarget",
          url: `${state.origin}${UPLOAD_PATH}`,
          resourceUrl: `${state.origin}${UPLOAD_PATH}/${key}`,
          parameters: Object.entries(parameters).map(([name, value]) => ({
            __typename: "StagedUploadParameter",
            name,
            value,
          })),
        };
      });
      return { stagedTargets, userErrors: [] };
    },
    bulkOperationRunMutation: (args: Args) => {
      const rejected = state.takeFault("reject", shop.domain);
      if (rejected) return refuse(rejected.code, `Injected ${rejected.code} (emulator fault)`);
      const parsed = mutationDocument(String(args.mutation ?? ""));
      if ("error" in parsed) return refuse("INVALID_MUTATION", parsed.error, ["mutation"]);
      const upload = state.uploads.get(String(args.stagedUploadPath ?? ""));
      if (!upload || upload.shop !== shop.domain || upload.content === null) {
        return refuse(
          "NO_SUCH_FILE",
          "The JSONL file could not be found. Try uploading the file again, and check the stagedUploadPath.",
          ["stagedUploadPath"],
        );
      }
      const running = [...state.operations.values()].filter(
        (operation) =>
          operation.shop === shop.domain &&
          operation.type === "MUTATION" &&
          ["CREATED", "RUNNING", "CANCELING"].includes(operation.status),
      );
      if (running.length >= state.options.concurrency) {
        return refuse(
          "LIMIT_REACHED",
          `A maximum of ${state.options.concurrency} bulk mutation operations can run at the same time for this app and shop.`,
        );
      }
      const lines = parseLines(upload.content);
      if ("badLine" in lines) {
        return refuse(
          "INVALID_STAGED_UPLOAD_FILE",
          `The JSONL file is invalid: line ${lines.badLine} is not a JSON object.`,
          ["stagedUploadPath"],
        );
      }
      const operation: EmulatedBulkOperation = {
        id: state.newOperationId(),
        shop: shop.domain,
        type: "MUTATION",
        status: "CREATED",
        errorCode: null,
        createdAt: new Date(store.now()).toISOString(),
        completedAt: null,
        objectCount: 0,
        query: String(args.mutation),
        rootFields: parsed.rootFields,
        clientIdentifier: typeof args.clientIdentifier === "string" ? args.clientIdentifier : null,
        fileSize: null,
        url: null,
        partialDataUrl: null,
        lines,
        results: [],
      };
      state.operations.set(operation.id, operation);
      state.schedule(() => tick(store, state, operation, parsed.document), state.options.chunkIntervalMs);
      return { bulkOperation: operationView(operation), userErrors: [] };
    },
    bulkOperationCancel: (args: Args) => {
      const operation = own(args.id);
      if (!operation) {
        return {
          bulkOperation: null,
          userErrors: [{ field: ["id"], message: "Bulk operation does not exist" }],
        };
      }
      if (operation.status === "CREATED" || operation.status === "RUNNING") operation.status = "CANCELING";
      return { bulkOperation: operationView(operation), userErrors: [] };
    },
  };

  return { query, mutation };
}

function readRaw(request: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on("end", () => resolve(tooLarge ? null : Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function sendXml(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { "Content-Type": "application/xml; charset=UTF-8" });
  response.end(`<?xml version='1.0' encoding='UTF-8'?>${body}`);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "Content-Type": "application/json" });
  response.end(JSON.stringify(body));
}

export function isBulkPath(pathname: string): boolean {
  return pathname === UPLOAD_PATH || pathname.startsWith(RESULTS_PATH) || pathname.startsWith(CONTROL_PATH);
}

async function handleUpload(state: BulkState, request: IncomingMessage, response: ServerResponse) {
  // The multipart envelope adds a little to the file: allow for it, then check the file itself.
  const raw = await readRaw(request, state.options.maxFileBytes + 64 * 1024);
  const tooLarge = (size: number) =>
    sendXml(
      response,
      400,
      `<Error><Code>EntityTooLarge</Code><Message>Your proposed upload exceeds the maximum allowed size</Message><ProposedSize>${size}</ProposedSize><MaxSizeAllowed>${state.options.maxFileBytes}</MaxSizeAllowed></Error>`,
    );
  if (!raw) return tooLarge(Number(request.headers["content-length"] ?? 0));
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(raw), {
      headers: { "Content-Type": String(request.headers["content-type"] ?? "") },
    }).formData();
  } catch {
    return sendXml(
      response,
      400,
      "<Error><Code>InvalidArgument</Code><Message>Invalid multipart body</Message></Error>",
    );
  }
  const key = form.get("key");
  const upload = typeof key === "string" ? state.uploads.get(key) : undefined;
  if (!upload || form.get("x-goog-signature") !== sign(upload.key)) {
    return sendXml(
      response,
      403,
      "<Error><Code>AccessDenied</Code><Message>Invalid according to Policy: Policy Condition failed</Message></Error>",
    );
  }
  const file = form.get("file");
  if (!file || typeof file === "string") {
    return sendXml(
      response,
      400,
      "<Error><Code>InvalidArgument</Code><Message>No file in the form</Message></Error>",
    );
  }
  if (file.size > state.options.maxFileBytes) return tooLarge(file.size);
  upload.content = await file.text();
  sendXml(
    response,
    Number(form.get("success_action_status") ?? 204) === 201 ? 201 : 204,
    `<PostResponse><Location>${state.origin}${UPLOAD_PATH}/${upload.key}</Location><Bucket>shopify-staged-uploads</Bucket><Key>${upload.key}</Key><ETag>"${sign(upload.content).slice(0, 32)}"</ETag></PostResponse>`,
  );
}

/** The staged upload target, the results files, and /__emulator/bulk/* controls for tests. */
export async function handleBulkHttp(
  store: EmulatorStore,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): Promise<void> {
  const state = bulkState(store);
  const method = request.method ?? "GET";
  const path = url.pathname;
  if (path === UPLOAD_PATH) {
    if (method !== "POST")
      return sendJson(response, 405, { errors: [{ field: "method", message: "POST only" }] });
    return handleUpload(state, request, response);
  }
  if (path.startsWith(RESULTS_PATH) && method === "GET") {
    const token = path.slice(RESULTS_PATH.length).replace(/\.jsonl$/, "");
    const file = state.files.get(token);
    const operation = file ? state.operations.get(file.operationId) : undefined;
    if (!operation) return sendXml(response, 404, "<Error><Code>NoSuchKey</Code></Error>");
    response.writeHead(200, { "Content-Type": "application/jsonl" });
    response.end(operation.results.length > 0 ? `${operation.results.join("\n")}\n` : "");
    return;
  }
  const body = async () => {
    const raw = await readRaw(request, 1024 * 1024);
    return JSON.parse(raw?.toString("utf8") || "{}") as Record<string, unknown>;
  };
  if (path === `${CONTROL_PATH}faults` && method === "POST") {
    state.faults.push((await body()) as unknown as BulkFault);
    return sendJson(response, 200, { faults: state.faults.length });
  }
  if (path === `${CONTROL_PATH}faults` && method === "DELETE") {
    state.faults.length = 0;
    return sendJson(response, 200, { faults: 0 });
  }
  if (path === `${CONTROL_PATH}options` && method === "POST") {
    const input = await body();
    for (const name of Object.keys(DEFAULT_BULK_OPTIONS) as (keyof BulkOptions)[]) {
      const value = input[name];
      if (value !== undefined && (typeof value !== "number" || !Number.isFinite(value) || value < 0)) {
        return sendJson(response, 400, {
          errors: [{ field: name, message: `${name} must be a number ≥ 0` }],
        });
      }
      if (typeof value === "number") state.options[name] = value;
    }
    return sendJson(response, 200, state.options);
  }
  if (path === `${CONTROL_PATH}operations` && method === "GET") {
    const shop = url.searchParams.get("shop");
    return sendJson(response, 200, {
      operations: [...state.operations.values()]
        .filter((operation) => !shop || operation.shop === shop)
        .map(({ lines, results, ...rest }) => ({ ...rest, lineCount: lines.length })),
    });
  }
  sendJson(response, 404, { errors: [{ field: "path", message: `no emulator endpoint ${method} ${path}` }] });
}
