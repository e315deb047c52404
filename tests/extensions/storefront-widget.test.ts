// @vitest-environment happy-dom
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { beforeEach, describe, expect, it, vi } from "vitest";

(globalThis as { __NPS_TEST__?: boolean }).__NPS_TEST__ = true;
const { startNpsWidget } = await import("../../extensions/nps-storefront/src/nps-widget");

const config = {
  proxy: "/apps/nps",
  locale: "fr",
  loggedIn: false,
  askLoggedIn: true,
  position: "bottom-right",
  accent: "#008060",
  text: "#202223",
};
const survey = {
  question: "Recommanderiez-vous <b>Shop</b> ?",
  scale: { lowLabel: "Pas du tout probable", highLabel: "Très probable" },
  followUp: {
    promoter: "Qu'avez-vous aimé ?",
    passive: "Que faudrait-il pour un 10 ?",
    detractor: "Qu'est-ce qui n'a pas été ?",
  },
  thankYou: {
    promoter: "Merci !",
    passive: "Merci pour votre avis.",
    detractor: "Désolés, nous allons faire mieux.",
  },
  commentPlaceholder: "Dites-nous en plus",
  submitLabel: "Envoyer",
  reviewUrl: null,
};
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });

function fetchReturning(...responses: Response[]) {
  return vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) => responses.shift() ?? json(500, {}));
}

const shadow = (host: HTMLElement | null) => (host?.shadowRoot ?? host) as ParentNode;

describe("the storefront survey widget", () => {
  beforeEach(() => {
    document.body.innerHTML = "";
    window.history.replaceState(null, "", "http://localhost:3000/");
  });

  it("makes no request at all without a survey link or a logged-in customer", async () => {
    const fetcher = fetchReturning();
    expect(await startNpsWidget(config, fetcher as unknown as typeof fetch)).toBeNull();
    expect(fetcher).not.toHaveBeenCalled();
  });

  it("asks the app proxy with the link's token, then removes the token from the address bar", async () => {
    window.history.replaceState(null, "", "http://localhost:3000/?nps_token=abc.def&utm=mail");
    const fetcher = fetchReturning(json(200, { show: false, reason: "expired" }));
    expect(await startNpsWidget(config, fetcher as unknown as typeof fetch)).toBeNull();
    expect(String(fetcher.mock.calls[0]?.[0])).toBe("/apps/nps/survey?locale=fr&token=abc.def");
    expect(window.location.href).toBe("http://localhost:3000/?utm=mail");
    expect(document.body.children).toHaveLength(0);
  });

  it("shows nothing when the app answers with an error", async () => {
    window.history.replaceState(null, "", "http://localhost:3000/?nps_token=t");
    const host = await startNpsWidget(config, fetchReturning(json(500, {})) as unknown as typeof fetch);
    expect(host).toBeNull();
    expect(document.body.children).toHaveLength(0);
  });

  it("opens a labelled modal dialog with an 11-option radio group, server text as text, focus inside", async () => {
    window.history.replaceState(null, "", "http://localhost:3000/?nps_token=t");
    const host = await startNpsWidget(
      config,
      fetchReturning(
        json(200, { show: true, orderId: "gid://shopify/Order/7", survey }),
      ) as unknown as typeof fetch,
    );
    const root = shadow(host);
    const dialog = root.querySelector('[role="dialog"]');
    expect(dialog?.getAttribute("aria-modal")).toBe("true");
    const heading = root.querySelector(`#${dialog?.getAttribute("aria-labelledby")}`);
    expect(heading?.textContent).toBe(survey.question);
    expect(heading?.querySelector("b")).toBeNull();
    const radios = root.querySelectorAll('[role="radiogroup"] input[type="radio"]');
    expect(radios).toHaveLength(11);
    expect(root.querySelector('[role="radiogroup"]')?.getAttribute("aria-labelledby")).toBe("nps-q");
    expect((root as ShadowRoot).activeElement ?? document.activeElement).toBe(radios[0]);
  });

  it("closes on Escape and stays closed", async () => {
    window.history.replaceState(null, "", "http://localhost:3000/?nps_token=t");
    const host = await startNpsWidget(
      config,
      fetchReturning(
        json(200, { show: true, orderId: "gid://shopify/Order/7", survey }),
      ) as unknown as typeof fetch,
    );
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape" }));
    expect(host?.isConnected).toBe(false);
  });

  it("asks the detractor follow-up after a 3 and posts the answer with the token through the proxy", async () => {
    window.history.replaceState(null, "", "http://localhost:3000/?nps_token=t0k");
    const fetcher = fetchReturning(
      json(200, { show: true, orderId: "gid://shopify/Order/7", survey }),
      json(201, { category: "detractor" }),
    );
    const host = await startNpsWidget(config, fetcher as unknown as typeof fetch);
    const root = shadow(host);
    const three = root.querySelectorAll<HTMLInputElement>('input[type="radio"]')[3] as HTMLInputElement;
    three.checked = true;
    three.dispatchEvent(new Event("change", { bubbles: true }));
    expect(root.querySelector('label[for="nps-c"]')?.textContent).toBe(survey.followUp.detractor);
    const textarea = root.querySelector("textarea") as HTMLTextAreaElement;
    textarea.value = ' <img src=x onerror="alert(1)"> slow ';
    root.querySelector("form")?.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(fetcher).toHaveBeenCalledTimes(2));
    const [url, init] = fetcher.mock.calls[1] ?? [];
    expect(url).toBe("/apps/nps/responses");
    expect(JSON.parse(String(init?.body))).toEqual({
      orderId: "gid://shopify/Order/7",
      score: 3,
      locale: "fr",
      token: "t0k",
      comment: '<img src=x onerror="alert(1)"> slow',
    });
    await vi.waitFor(() => expect(root.querySelector("h2")?.textContent).toBe(survey.thankYou.detractor));
  });

  it("treats 409 as already answered and shows the French retry message on other errors", async () => {
    window.history.replaceState(null, "", "http://localhost:3000/?nps_token=t");
    const fetcher = fetchReturning(
      json(200, { show: true, orderId: "gid://shopify/Order/7", survey }),
      json(500, {}),
      json(409, {}),
    );
    const root = shadow(await startNpsWidget(config, fetcher as unknown as typeof fetch));
    const nine = root.querySelectorAll<HTMLInputElement>('input[type="radio"]')[9] as HTMLInputElement;
    nine.checked = true;
    nine.dispatchEvent(new Event("change", { bubbles: true }));
    root.querySelector("form")?.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(root.querySelector('[role="alert"]')?.textContent).toMatch(/^Désolé/));
    root.querySelector("form")?.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(root.querySelector("h2")?.textContent).toBe("Merci !"));
  });

  it("is built into the committed asset, under 10 KB minified", async () => {
    const { buildWidget } = await import("../../extensions/nps-storefront/build.mjs");
    const fresh = await buildWidget({ write: false });
    const built = fresh.outputFiles?.[0]?.text ?? "";
    const committed = readFileSync("extensions/nps-storefront/assets/nps-widget.js", "utf8");
    expect(committed).toBe(built);
    console.info(
      `nps-widget.js: ${(built.length / 1024).toFixed(1)} KB minified, ${(gzipSync(built).byteLength / 1024).toFixed(1)} KB gzipped`,
    );
    expect(built.length).toBeLessThanOrEqual(10 * 1024);
  });
});
