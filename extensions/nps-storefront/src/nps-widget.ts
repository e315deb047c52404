// NPS Sync storefront survey: loads nothing unless the URL carries an `nps_token` (survey link) or a logged-in
// customer may have a pending survey; talks to the app only through the shop's app proxy (/apps/nps).
type Category = "promoter" | "passive" | "detractor";
interface Survey {
  question: string;
  scale: { lowLabel: string; highLabel: string };
  followUp: Record<Category, string>;
  thankYou: Record<Category, string>;
  commentPlaceholder: string;
  submitLabel: string;
  reviewUrl: string | null;
}
interface Config {
  proxy: string;
  locale: string;
  loggedIn: boolean;
  askLoggedIn: boolean;
  position: string;
  accent: string;
  text: string;
}

const CHROME: Record<string, [close: string, error: string, review: string]> = {
  en: ["Close", "Sorry, that did not work. Please try again.", "Leave a review"],
  fr: ["Fermer", "Désolé, cela n'a pas fonctionné. Veuillez réessayer.", "Laisser un avis"],
  de: ["Schließen", "Das hat leider nicht geklappt. Bitte erneut versuchen.", "Bewertung schreiben"],
  es: ["Cerrar", "Lo sentimos, no funcionó. Inténtelo de nuevo.", "Dejar una reseña"],
};

const categoryOf = (score: number): Category =>
  score >= 9 ? "promoter" : score >= 7 ? "passive" : "detractor";

function el<T extends HTMLElement = HTMLElement>(
  tag: string,
  attrs: Record<string, string> = {},
  text?: string,
): T {
  const node = document.createElement(tag) as T;
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text; // server text is always text, never HTML
  return node;
}

function readToken(): string | null {
  const url = new URL(window.location.href);
  const token = url.searchParams.get("nps_token");
  if (token) {
    url.searchParams.delete("nps_token");
    window.history.replaceState(window.history.state, "", url.toString());
  }
  return token;
}

function styles(config: Config): string {
  const place =
    config.position === "bottom-left"
      ? "left:16px;bottom:16px"
      : config.position === "center"
        ? "left:50%;top:50%;transform:translate(-50%,-50%)"
        : "right:16px;bottom:16px";
  return `.nps-d{position:fixed;${place};z-index:2147483000;max-width:420px;width:calc(100% - 32px);background:#fff;color:${config.text};border-radius:12px;box-shadow:0 8px 32px rgba(0,0,0,.25);padding:20px;font:inherit}
.nps-d h2{font-size:1.05em;margin:0 28px 12px 0}.nps-x{position:absolute;top:8px;right:8px;border:0;background:none;font-size:1.4em;cursor:pointer;color:inherit}
.nps-s{display:flex;gap:4px;flex-wrap:wrap}.nps-s label{flex:1 0 28px;text-align:center;border:1px solid #bbb;border-radius:6px;padding:6px 0;cursor:pointer}
.nps-s input{position:absolute;opacity:0}.nps-s input:checked+span{font-weight:700}.nps-s label:has(input:checked){background:${config.accent};color:#fff;border-color:${config.accent}}
.nps-s label:has(input:focus-visible){outline:2px solid ${config.accent};outline-offset:2px}
.nps-e{display:flex;justify-content:space-between;font-size:.8em;opacity:.75;margin:6px 0 12px}.nps-d textarea{width:100%;box-sizing:border-box;min-height:70px;margin:6px 0}
.nps-b{background:${config.accent};color:#fff;border:0;border-radius:6px;padding:10px 16px;cursor:pointer}
@media (prefers-reduced-motion:no-preference){.nps-d{animation:nps-in .2s ease-out}}@keyframes nps-in{from{opacity:0}}`;
}

export async function startNpsWidget(
  config: Config,
  fetcher: typeof fetch = fetch,
): Promise<HTMLElement | null> {
  const token = readToken();
  if (!token && !(config.loggedIn && config.askLoggedIn)) return null;
  const chrome = CHROME[config.locale.slice(0, 2)] ?? CHROME.en!;
  const query = new URLSearchParams({ locale: config.locale, ...(token ? { token } : {}) });
  let data: { show?: boolean; orderId?: string; survey?: Survey };
  try {
    const response = await fetcher(`${config.proxy}/survey?${query}`, {
      headers: { Accept: "application/json" },
    });
    if (!response.ok) return null;
    data = await response.json();
  } catch {
    return null;
  }
  if (!data.show || !data.survey || !data.orderId) return null;
  const survey = data.survey;
  const orderId = data.orderId;

  const host = el("div");
  const root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  root.append(el("style", {}, styles(config)));
  const dialog = el("div", {
    class: "nps-d",
    role: "dialog",
    "aria-modal": "true",
    "aria-labelledby": "nps-q",
  });
  const close = el("button", { class: "nps-x", type: "button", "aria-label": chrome[0] }, "×");
  const heading = el("h2", { id: "nps-q" }, survey.question);
  const scale = el("div", { class: "nps-s", role: "radiogroup", "aria-labelledby": "nps-q" });
  for (let score = 0; score <= 10; score += 1) {
    const label = el("label");
    label.append(
      el("input", { type: "radio", name: "nps-score", value: String(score) }),
      el("span", {}, String(score)),
    );
    scale.append(label);
  }
  const ends = el("div", { class: "nps-e", "aria-hidden": "true" });
  ends.append(el("span", {}, survey.scale.lowLabel), el("span", {}, survey.scale.highLabel));
  const form = el<HTMLFormElement>("form");
  form.hidden = true;
  const followUp = el("label", { for: "nps-c" });
  const comment = el<HTMLTextAreaElement>("textarea", {
    id: "nps-c",
    maxlength: "2000",
    placeholder: survey.commentPlaceholder,
  });
  const submit = el<HTMLButtonElement>("button", { class: "nps-b", type: "submit" }, survey.submitLabel);
  const error = el("p", { role: "alert" });
  form.append(followUp, comment, error, submit);
  dialog.append(close, heading, scale, ends, form);
  root.append(dialog);
  document.body.append(host);

  let score: number | null = null;
  const radios = [...scale.querySelectorAll("input")];
  radios[0]?.focus();
  scale.addEventListener("change", (event) => {
    score = Number((event.target as HTMLInputElement).value);
    followUp.textContent = survey.followUp[categoryOf(score)];
    form.hidden = false;
  });

  // Tab stops as the browser makes them: one per radio group (the checked radio, else the first).
  const focusables = () =>
    [...dialog.querySelectorAll<HTMLElement>("button,input,textarea,a[href]")].filter((node) => {
      if (node.closest("[hidden]")) return false;
      if (node instanceof HTMLInputElement && node.type === "radio")
        return score === null ? node === radios[0] : node.checked;
      return true;
    });
  const dismiss = () => {
    host.remove();
    document.removeEventListener("keydown", onKey, true);
  };
  function onKey(event: KeyboardEvent) {
    if (event.key === "Escape") return dismiss();
    if (event.key !== "Tab") return;
    const nodes = focusables();
    const active = (root as ShadowRoot).activeElement ?? document.activeElement;
    const first = nodes[0];
    const last = nodes[nodes.length - 1];
    if (event.shiftKey && active === first) {
      event.preventDefault();
      last?.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first?.focus();
    }
  }
  document.addEventListener("keydown", onKey, true);
  close.addEventListener("click", dismiss);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (score === null) return;
    submit.disabled = true;
    error.textContent = "";
    const body = {
      orderId,
      score,
      locale: config.locale,
      ...(token ? { token } : {}),
      ...(comment.value.trim() ? { comment: comment.value.trim() } : {}),
    };
    let status = 0;
    try {
      const response = await fetcher(`${config.proxy}/responses`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      status = response.status;
    } catch {
      status = 0;
    }
    submit.disabled = false;
    if (status !== 201 && status !== 409) {
      error.textContent = chrome[1];
      return;
    }
    const category = categoryOf(score);
    dialog.replaceChildren(close, el("h2", { id: "nps-q", tabindex: "-1" }, survey.thankYou[category]));
    if (category === "promoter" && survey.reviewUrl)
      dialog.append(el("a", { href: survey.reviewUrl }, chrome[2]));
    (dialog.querySelector("h2") as HTMLElement).focus();
  });
  return host;
}

if (typeof document !== "undefined" && !(globalThis as { __NPS_TEST__?: boolean }).__NPS_TEST__) {
  const source = document.getElementById("nps-sync-config");
  if (source?.textContent) startNpsWidget(JSON.parse(source.textContent) as Config);
}
