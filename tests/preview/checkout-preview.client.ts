// Runs inside one preview frame (bundled by checkout-preview.ts): a minimal stand-in for Shopify's Polaris web
// components, a stubbed `shopify` global and a fake fetch for this frame's scenario, then the real thank-you
// entry. Readable, keyboard-operable controls — not Shopify's look.
import runThankYou from "../../extensions/nps-checkout/src/ThankYou";
import { categoryOf } from "../../extensions/nps-checkout/src/survey-client";
import type { PreviewFrameConfig, PreviewReply, PreviewStep } from "./checkout-preview";

const config = JSON.parse(
  document.getElementById("nps-preview-frame")?.textContent ?? "{}",
) as PreviewFrameConfig;

function post(kind: "size" | "request", data: Record<string, unknown>) {
  parent.postMessage({ source: "nps-preview", panel: config.panel, kind, ...data }, "*");
}

// ---- the s-* shim ----------------------------------------------------------------------------------------

const DOCUMENT_STYLE = `
body{margin:0;padding:12px;font:14px/1.4 system-ui,sans-serif;color:#202223}
s-stack{display:flex;flex-direction:column;gap:12px}
s-stack[direction=inline]{flex-direction:row;flex-wrap:wrap;gap:8px}
s-stack[justifycontent=space-between]{justify-content:space-between}
s-text,s-link{display:inline}
s-button{display:inline-block;align-self:flex-start}
s-text[color=subdued]{color:#6d7175;font-size:12px}
s-heading{display:block;font-size:18px;font-weight:600}
s-banner{display:block;padding:8px 12px;border-radius:6px;background:#fee9e8;border-left:4px solid #d72c0d}
`;

const CONTROL_STYLE = `
:host{display:block}
fieldset{border:0;margin:0;padding:0}
legend{font-weight:600;margin-bottom:6px;padding:0}
.choices{display:flex;flex-wrap:wrap;gap:4px}
label.choice{display:inline-flex;align-items:center;gap:2px;border:1px solid #8c9196;border-radius:6px;padding:4px 6px;cursor:pointer;min-width:2.2em}
label.choice:has(input:checked){background:#202223;color:#fff;border-color:#202223}
label.choice:focus-within{outline:2px solid #005bd3;outline-offset:1px}
input[type=radio]{margin:0}
.field{display:flex;flex-direction:column;gap:4px;font-weight:600}
textarea{font:inherit;font-weight:400;min-height:4em;padding:6px;border:1px solid #8c9196;border-radius:6px}
button{font:inherit;padding:8px 16px;border-radius:6px;border:1px solid #202223;background:#fff;cursor:pointer}
button[data-variant=primary]{background:#202223;color:#fff}
button:disabled{opacity:.6;cursor:progress}
button:focus-visible,a:focus-visible,textarea:focus-visible{outline:2px solid #005bd3;outline-offset:2px}
`;

function shadow(host: HTMLElement): ShadowRoot {
  const root = host.attachShadow({ mode: "open" });
  const style = document.createElement("style");
  style.textContent = CONTROL_STYLE;
  root.append(style);
  return root;
}

/** A radio group built from the s-choice children (which Preact owns and which stay unrendered). */
class ChoiceList extends HTMLElement {
  static observedAttributes = ["label", "name"];
  #values: string[] = [];
  #shape = "";
  #root = shadow(this);
  #fieldset = document.createElement("fieldset");
  #observer = new MutationObserver(() => this.#render());

  constructor() {
    super();
    this.#root.append(this.#fieldset);
    this.#fieldset.addEventListener("change", (event) => {
      const input = event.target as HTMLInputElement;
      this.#values = [input.value];
      this.dispatchEvent(new Event("change"));
    });
  }
  get values(): string[] {
    return this.#values;
  }
  set values(next: string[]) {
    this.#values = [...(next ?? [])];
    this.#sync();
  }
  connectedCallback() {
    this.#observer.observe(this, { childList: true, subtree: true, characterData: true, attributes: true });
    this.#render();
  }
  disconnectedCallback() {
    this.#observer.disconnect();
  }
  attributeChangedCallback() {
    this.#render();
  }
  #render() {
    // Preact re-sets each s-choice's `value` on every render: rebuild only when something shown changed, so the
    // focused radio (and arrow-key navigation) survives.
    const choices = [...this.querySelectorAll(":scope > s-choice")];
    const shape = JSON.stringify([
      this.getAttribute("label"),
      this.getAttribute("name"),
      choices.map((c) => [c.getAttribute("value"), c.getAttribute("accessibilitylabel"), c.textContent]),
    ]);
    if (shape === this.#shape) return;
    this.#shape = shape;
    const legend = document.createElement("legend");
    legend.textContent = this.getAttribute("label") ?? "";
    const row = document.createElement("div");
    row.className = "choices";
    for (const choice of choices) {
      const label = document.createElement("label");
      label.className = "choice";
      const input = document.createElement("input");
      input.type = "radio";
      input.name = this.getAttribute("name") ?? "choice";
      input.value = choice.getAttribute("value") ?? "";
      const accessible = choice.getAttribute("accessibilitylabel");
      if (accessible) input.setAttribute("aria-label", accessible);
      label.append(input, choice.textContent ?? "");
      row.append(label);
    }
    this.#fieldset.replaceChildren(legend, row);
    this.#sync();
  }
  #sync() {
    for (const input of this.#fieldset.querySelectorAll("input")) {
      input.checked = this.#values.includes(input.value);
    }
  }
}

class TextArea extends HTMLElement {
  static observedAttributes = ["label", "placeholder", "maxlength"];
  #caption = document.createElement("span");
  #area = document.createElement("textarea");

  constructor() {
    super();
    const field = document.createElement("label");
    field.className = "field";
    field.append(this.#caption, this.#area);
    shadow(this).append(field);
  }
  // The textarea's `input` event is composed: it reaches listeners on this element, which read `value`.
  get value(): string {
    return this.#area.value;
  }
  set value(next: string) {
    if (this.#area.value !== (next ?? "")) this.#area.value = next ?? "";
  }
  attributeChangedCallback() {
    this.#caption.textContent = this.getAttribute("label") ?? "";
    this.#area.placeholder = this.getAttribute("placeholder") ?? "";
    const max = Number(this.getAttribute("maxlength"));
    if (max > 0) this.#area.maxLength = max;
  }
}

class Button extends HTMLElement {
  static observedAttributes = ["loading", "disabled", "variant"];
  #button = document.createElement("button");

  constructor() {
    super();
    this.#button.type = "button";
    this.#button.append(document.createElement("slot"));
    shadow(this).append(this.#button);
  }
  attributeChangedCallback() {
    const on = (name: string) => this.hasAttribute(name) && this.getAttribute(name) !== "false";
    this.#button.disabled = on("loading") || on("disabled");
    this.#button.setAttribute("aria-busy", String(on("loading")));
    this.#button.dataset.variant = this.getAttribute("variant") ?? "";
  }
}

class Link extends HTMLElement {
  static observedAttributes = ["href"];
  #anchor = document.createElement("a");

  constructor() {
    super();
    this.#anchor.target = "_blank";
    this.#anchor.rel = "noopener";
    this.#anchor.append(document.createElement("slot"));
    shadow(this).append(this.#anchor);
  }
  attributeChangedCallback() {
    this.#anchor.href = this.getAttribute("href") ?? "";
  }
}

function withRole(role: string, level?: number) {
  return class extends HTMLElement {
    connectedCallback() {
      this.setAttribute("role", role);
      if (level) this.setAttribute("aria-level", String(level));
    }
  };
}

const style = document.createElement("style");
style.textContent = DOCUMENT_STYLE;
document.head.append(style);
customElements.define("s-choice-list", ChoiceList);
customElements.define("s-text-area", TextArea);
customElements.define("s-button", Button);
customElements.define("s-link", Link);
customElements.define("s-heading", withRole("heading", 2));
customElements.define("s-banner", withRole("alert"));

// ---- the stubbed host: `shopify` global and fetch --------------------------------------------------------

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function fakeFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const method = (init?.method ?? "GET").toUpperCase();
  const body = typeof init?.body === "string" ? init.body : "";
  const authorized = new Headers(init?.headers).get("Authorization") === `Bearer ${config.sessionToken}`;
  const request = `${method} ${url.pathname}${url.search}${body ? ` ${body}` : ""}`;

  let reply: "pending" | PreviewReply;
  if (!authorized) reply = { status: 401, body: { errors: [{ field: "token" }] } };
  else if (method === "GET" && url.pathname.endsWith("/survey")) reply = config.load;
  else if (method === "POST" && url.pathname.endsWith("/responses")) {
    const score = Number((JSON.parse(body || "{}") as { score?: unknown }).score);
    reply =
      config.answer === "accept"
        ? { status: 201, body: { id: "preview-response", category: categoryOf(score), status: "confirmed" } }
        : config.answer;
  } else reply = { status: 404, body: { errors: [{ message: "not part of the preview" }] } };

  if (reply === "pending") {
    post("request", { line: `${request} → (no answer yet)` });
    return new Promise<Response>(() => {});
  }
  await delay(config.delayMs);
  const shown = JSON.stringify(reply.body);
  post("request", {
    line: `${request} → ${reply.status} ${shown.length > 80 ? `${shown.slice(0, 80)}…` : shown}`,
  });
  return new Response(JSON.stringify(reply.body), {
    status: reply.status,
    headers: { "Content-Type": "application/json" },
  });
}

Object.assign(globalThis, {
  fetch: fakeFetch,
  shopify: {
    i18n: { translate: (key: string) => config.translations[key] ?? key },
    sessionToken: { get: async () => config.sessionToken },
    localization: { language: { value: { isoCode: config.locale } } },
    orderConfirmation: { value: { order: { id: config.orderId } } },
  },
});

// ---- size reports and the scripted steps ------------------------------------------------------------------

function reportSize() {
  post("size", {
    height: Math.ceil(document.body.offsetHeight),
    empty: document.body.childElementCount === 0,
  });
}

async function find<T extends Element>(selector: string): Promise<T> {
  for (let waited = 0; waited < 5000; waited += 20) {
    const found = document.querySelector<T>(selector);
    if (found) return found;
    await delay(20);
  }
  throw new Error(`preview step: ${selector} never appeared`);
}

async function perform(step: PreviewStep) {
  if ("choose" in step) {
    const list = await find<HTMLElement>(`s-choice-list[name="${step.list ?? "nps-score"}"]`);
    list.shadowRoot?.querySelector<HTMLInputElement>(`input[value="${step.choose}"]`)?.click();
  } else if ("type" in step) {
    const area = (await find<HTMLElement>("s-text-area")).shadowRoot?.querySelector("textarea");
    if (!area) return;
    area.value = step.type;
    area.dispatchEvent(new Event("input", { bubbles: true, composed: true }));
  } else {
    (await find<HTMLElement>("s-button")).shadowRoot?.querySelector("button")?.click();
  }
  await delay(30);
}

new ResizeObserver(reportSize).observe(document.body);
new MutationObserver(reportSize).observe(document.body, { childList: true });
reportSize();
void (async () => {
  await runThankYou();
  for (const step of config.steps) await perform(step);
  reportSize();
})();
