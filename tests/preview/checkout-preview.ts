import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { DEFAULT_SURVEY_SETTINGS } from "../../app/domain/survey-settings";
import {
  BUILT_IN_LOCALES,
  type BuiltInLocale,
  localizeSurvey,
  resolveLocale,
} from "../../app/domain/survey-text";

// A developer preview of the checkout UI extension's states, in a plain browser, without Shopify. Each panel is a
// frame that runs the real thank-you entry (extensions/nps-checkout/src/ThankYou.tsx → Survey.tsx, bundled with
// esbuild at start-up) against its own stubbed `shopify` global and a fake fetch scripted by one scenario; the
// s-* Polaris web components are replaced by a minimal shim (checkout-preview.client.ts). States, texts and
// behaviour are the extension's; the look is not Shopify's.

export interface PreviewReply {
  status: number;
  body: unknown;
}

/** A scripted user action, done through the shim's controls as a shopper would. */
export type PreviewStep = { choose: string; list?: string } | { type: string } | { click: "send" };

export interface PreviewScenario {
  id: string;
  caption: string;
  note: string;
  /** The answer to GET …/survey: the survey, a fixed reply, or none ever (loading). */
  load: "survey" | "pending" | PreviewReply;
  /** The answer to POST …/responses: "accept" is 201 with the category of the posted score. */
  answer?: "accept" | PreviewReply;
  csatAndCes?: boolean;
  steps?: PreviewStep[];
}

/** What one frame's script receives (JSON in the frame's page). */
export interface PreviewFrameConfig {
  panel: string;
  locale: BuiltInLocale;
  orderId: string;
  sessionToken: string;
  translations: Record<string, string>;
  load: "pending" | PreviewReply;
  answer: "accept" | PreviewReply;
  steps: PreviewStep[];
  delayMs: number;
}

export const CHECKOUT_PREVIEW_SCENARIOS: readonly PreviewScenario[] = [
  {
    id: "loading",
    caption: "Loading",
    note: "The app has not answered yet: the extension renders nothing, so the page never flashes an empty card.",
    load: "pending",
  },
  {
    id: "available",
    caption: "Survey available: the 0–10 scale",
    note: "GET /survey → show:true. Interactive: pick a score (mouse, or Tab then arrow keys), write, send.",
    load: "survey",
  },
  {
    id: "nothing-to-show",
    caption: "Nothing to show",
    note: "GET /survey → show:false (reason expired; suppressed is the same): renders nothing.",
    load: { status: 200, body: { show: false, reason: "expired" } },
  },
  {
    id: "already-answered",
    caption: "Already answered",
    note: "GET /survey → show:false, reason already_answered: renders nothing.",
    load: { status: 200, body: { show: false, reason: "already_answered" } },
  },
  {
    id: "load-error",
    caption: "Server error while loading",
    note: "GET /survey → 500: treated as nothing to show, renders nothing.",
    load: { status: 500, body: { errors: [{ message: "internal error" }] } },
  },
  {
    id: "score-9",
    caption: "After a 9: promoter follow-up",
    note: "Score 9 chosen: the promoter follow-up question and the send button appear.",
    load: "survey",
    steps: [{ choose: "9" }],
  },
  {
    id: "score-3",
    caption: "After a 3: detractor follow-up",
    note: "Score 3 chosen and a comment typed: the detractor follow-up question.",
    load: "survey",
    steps: [{ choose: "3" }, { type: "The parcel arrived two days late." }],
  },
  {
    id: "csat-ces",
    caption: "After a 7: passive follow-up with optional CSAT and CES",
    note: "The shop enabled CSAT (1–5) and CES (1–7); they are asked with the follow-up.",
    load: "survey",
    csatAndCes: true,
    steps: [{ choose: "7" }, { choose: "4", list: "csat" }, { choose: "6", list: "ces" }],
  },
  {
    id: "thank-you",
    caption: "Thank-you with review link",
    note: "Score 10 sent, POST /responses → 201: the promoter thank-you and the shop's review link.",
    load: "survey",
    steps: [{ choose: "10" }, { type: "Fast delivery!" }, { click: "send" }],
  },
  {
    id: "send-error",
    caption: "Error while sending",
    note: "Score 8 sent, POST /responses → 500: a polite error and a retry button.",
    load: "survey",
    answer: { status: 500, body: { errors: [{ message: "internal error" }] } },
    steps: [{ choose: "8" }, { click: "send" }],
  },
];

const here = path.dirname(fileURLToPath(import.meta.url));
const localesDir = path.resolve(here, "../../extensions/nps-checkout/locales");
const SHOP_NAME = "NPS Demo Store";

function translations(locale: BuiltInLocale): Record<string, string> {
  const file = locale === "en" ? "en.default.json" : `${locale}.json`;
  return JSON.parse(readFileSync(path.join(localesDir, file), "utf8")) as Record<string, string>;
}

function surveyReply(locale: BuiltInLocale, csatAndCes: boolean): PreviewReply {
  const settings = {
    ...DEFAULT_SURVEY_SETTINGS,
    reviewUrl: "https://reviews.example/nps-demo-store",
    csat: { enabled: csatAndCes },
    ces: { enabled: csatAndCes },
  };
  return {
    status: 200,
    body: {
      show: true,
      invitationId: "preview-invitation",
      survey: localizeSurvey(settings, { locale, shopName: SHOP_NAME }),
    },
  };
}

export function frameConfig(scenario: PreviewScenario, locale: BuiltInLocale): PreviewFrameConfig {
  return {
    panel: scenario.id,
    locale,
    orderId: "gid://shopify/OrderIdentity/1001",
    sessionToken: "preview-session-token",
    translations: translations(locale),
    load: scenario.load === "survey" ? surveyReply(locale, scenario.csatAndCes ?? false) : scenario.load,
    answer: scenario.answer ?? "accept",
    steps: scenario.steps ?? [],
    delayMs: 250,
  };
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char] ?? char,
  );
// JSON inside <script>: no "</script>" can close it early.
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");

const PAGE_STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:0;padding:16px 24px;background:#f1f1f1;color:#202223}
header p{max-width:70em;margin:.3em 0}
.notice{background:#fff4d6;border:1px solid #e5c46a;padding:8px 12px;border-radius:6px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(360px,1fr));gap:16px;margin-top:16px;align-items:start}
.panel{background:#fff;border:1px solid #d2d5d8;border-radius:8px;padding:12px}
.panel h2{font-size:15px;margin:0 0 4px}
.panel .note{color:#616161;margin:0 0 8px;font-size:13px}
.panel iframe{display:block;width:100%;height:60px;border:1px dashed #c9cccf;border-radius:6px;background:#fff}
.panel .empty{border:1px dashed #c9cccf;border-radius:6px;padding:14px;color:#8c9196;font-style:italic;text-align:center}
.panel ol{font:11px/1.4 ui-monospace,monospace;color:#616161;margin:8px 0 0;padding-left:18px;word-break:break-all}
`;

// Sizes each frame to its content, shows "rendered nothing" for an empty one, and lists each frame's requests.
const PAGE_SCRIPT = `
addEventListener("message", (event) => {
  const data = event.data;
  if (!data || data.source !== "nps-preview") return;
  const panel = document.getElementById("panel-" + data.panel);
  const frame = panel && panel.querySelector("iframe");
  if (!frame || event.source !== frame.contentWindow) return;
  if (data.kind === "size") {
    frame.style.height = data.empty ? "0" : data.height + "px";
    frame.style.visibility = data.empty ? "hidden" : "visible";
    panel.querySelector(".empty").hidden = !data.empty;
  } else if (data.kind === "request") {
    const item = document.createElement("li");
    item.textContent = data.line;
    panel.querySelector("ol").append(item);
  }
});
`;

function indexPage(locale: BuiltInLocale): string {
  const languages = BUILT_IN_LOCALES.map((code) =>
    code === locale ? `<strong>${code}</strong>` : `<a href="/?locale=${code}">${code}</a>`,
  ).join(" · ");
  const panels = CHECKOUT_PREVIEW_SCENARIOS.map(
    (scenario) => `<section class="panel" id="panel-${scenario.id}">
<h2>${escapeHtml(scenario.caption)}</h2>
<p class="note">${escapeHtml(scenario.note)}</p>
<iframe title="${escapeHtml(scenario.caption)}" src="/panel/${scenario.id}?locale=${locale}"></iframe>
<div class="empty" hidden>The extension rendered nothing.</div>
<ol aria-label="Requests of this panel"></ol>
</section>`,
  ).join("\n");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Checkout extension preview — NPS Sync</title>
<link rel="icon" href="data:,"><style>${PAGE_STYLE}</style><script>${PAGE_SCRIPT}</script></head>
<body><header><h1>Checkout extension preview</h1>
<p class="notice"><strong>Developer preview, not Shopify.</strong> Each panel runs the real thank-you extension
(<code>extensions/nps-checkout/src/ThankYou.tsx</code> → <code>Survey.tsx</code>, bundled with esbuild when this server
started) with a stubbed <code>shopify</code> global (translations from the extension's <code>locales/</code>, a fake
session token) and a fake <code>fetch</code> answering that panel's scenario. Shopify's Polaris web components
(<code>s-choice-list</code>, <code>s-button</code>, …) are replaced by a minimal shim: the states, texts and behaviour
are the extension's; the look is not Shopify's. Scripted panels were driven through the shim's controls.</p>
<p>Language: ${languages}</p></header>
<main class="grid">
${panels}
</main></body></html>`;
}

function framePage(config: PreviewFrameConfig, caption: string): string {
  return `<!doctype html><html lang="${config.locale}"><head><meta charset="utf-8"><title>${escapeHtml(caption)}</title>
<link rel="icon" href="data:,">
<script type="application/json" id="nps-preview-frame">${scriptJson(config)}</script>
<script src="/checkout-preview.js" defer></script></head><body></body></html>`;
}

/** Bundles the frame script (shim + stubs + the real extension entry) for the browser. */
export async function buildPreviewBundle(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(here, "checkout-preview.client.ts")],
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2022",
    jsx: "automatic",
    jsxImportSource: "preact",
    sourcemap: "inline",
    write: false,
    logLevel: "silent",
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error("esbuild produced no preview bundle");
  return output.text;
}

export async function startCheckoutPreview(
  options: { port?: number; host?: string } = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const bundle = await buildPreviewBundle();
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://preview.local");
    const locale = resolveLocale(url.searchParams.get("locale"));
    if (url.pathname === "/checkout-preview.js") {
      response.writeHead(200, {
        "Content-Type": "text/javascript; charset=utf-8",
        "Cache-Control": "no-store",
      });
      return response.end(bundle);
    }
    if (url.pathname === "/") {
      response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      return response.end(indexPage(locale));
    }
    const scenario = CHECKOUT_PREVIEW_SCENARIOS.find(
      (candidate) => url.pathname === `/panel/${candidate.id}`,
    );
    if (scenario) {
      response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      return response.end(framePage(frameConfig(scenario, locale), scenario.caption));
    }
    response.writeHead(404, { "Content-Type": "text/plain" });
    response.end("not found");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
