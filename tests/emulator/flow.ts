import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { RootResolver } from "./resolvers";
import type { EmulatedShop, EmulatorStore } from "./store";

// Shopify Flow's side of `flowTriggerReceive`: the trigger handles the app declares in its flow_trigger extensions
// are accepted, anything else is refused with a user error, and so is a payload over Flow's 50 KB. Accepted
// triggers are recorded per shop (store.shops.get(domain).flowTriggers, and in GET /__emulator/state).

/** Flow's payload limit, 50 KB, read strictly as 50,000 bytes of JSON. */
export const FLOW_PAYLOAD_LIMIT_BYTES = 50_000;

export interface ReceivedFlowTrigger {
  handle: string;
  payload: Record<string, unknown>;
  receivedAt: string;
}

export interface FlowTriggerField {
  type: string;
  key?: string;
  description?: string;
}

export interface FlowTriggerDefinition {
  handle: string;
  name: string;
  fields: FlowTriggerField[];
}

const STRING_ENTRY = /^([A-Za-z_][\w-]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(?:#.*)?$/;

/** Reads the shape Shopify's CLI generates for a Flow trigger extension (string entries and their tables). */
function parseTriggerToml(text: string): FlowTriggerDefinition | null {
  const extension: Record<string, string> = {};
  const fields: FlowTriggerField[] = [];
  let table = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    if (line.startsWith("[")) {
      table = line;
      if (table === "[[settings.fields]]") fields.push({ type: "" });
      continue;
    }
    const entry = STRING_ENTRY.exec(line);
    if (!entry) continue;
    const [, name = "", value = ""] = entry;
    if (table === "[[extensions]]") extension[name] = value;
    else if (table === "[[settings.fields]]")
      Object.assign(fields[fields.length - 1] ?? {}, { [name]: value });
  }
  if (extension.type !== "flow_trigger" || !extension.handle) return null;
  return { handle: extension.handle, name: extension.name ?? extension.handle, fields };
}

/** The app's Flow trigger extensions, as extensions/<name>/shopify.extension.toml declares them. */
export function flowTriggerDefinitions(root = process.cwd()): FlowTriggerDefinition[] {
  const directory = path.join(root, "extensions");
  return readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      let text: string;
      try {
        text = readFileSync(path.join(directory, entry.name, "shopify.extension.toml"), "utf8");
      } catch {
        return [];
      }
      const definition = parseTriggerToml(text);
      return definition ? [definition] : [];
    });
}

let handles: Set<string> | undefined;

function knownHandles(): Set<string> {
  handles ??= new Set(flowTriggerDefinitions().map((definition) => definition.handle));
  return handles;
}

export function flowMutations(
  store: EmulatorStore,
  shop: EmulatedShop,
  options: { userErrorFault: boolean },
): Record<string, RootResolver> {
  return {
    flowTriggerReceive: (args) => {
      const handle = typeof args.handle === "string" ? args.handle : "";
      if (!knownHandles().has(handle)) {
        return {
          userErrors: [
            { field: ["handle"], message: `Invalid handle: no trigger "${handle}" exists for this app` },
          ],
        };
      }
      const payload = args.payload;
      if (payload === null || typeof payload !== "object" || Array.isArray(payload)) {
        return { userErrors: [{ field: ["payload"], message: "Payload must be a JSON object" }] };
      }
      const bytes = Buffer.byteLength(JSON.stringify(payload));
      if (bytes > FLOW_PAYLOAD_LIMIT_BYTES) {
        return {
          userErrors: [
            { field: ["payload"], message: `Payload is ${bytes} bytes, larger than the 50 KB Flow accepts` },
          ],
        };
      }
      if (options.userErrorFault) {
        return { userErrors: [{ field: ["payload"], message: "Injected user error (emulator fault)" }] };
      }
      shop.flowTriggers.push({
        handle,
        payload: payload as Record<string, unknown>,
        receivedAt: new Date(store.now()).toISOString(),
      });
      return { userErrors: [] };
    },
  };
}
