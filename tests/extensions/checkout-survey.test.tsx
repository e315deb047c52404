/** @jsxImportSource preact */
// @vitest-environment happy-dom
import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Survey } from "../../extensions/nps-checkout/src/Survey";
import type { SurveyHost } from "../../extensions/nps-checkout/src/survey-client";
import english from "../../extensions/nps-checkout/locales/en.default.json";
import french from "../../extensions/nps-checkout/locales/fr.json";

const survey = {
  locale: "en",
  question: "How likely are you to recommend Shop to a friend?",
  scale: { min: 0, max: 10, lowLabel: "Not at all likely", highLabel: "Extremely likely" },
  followUp: {
    promoter: "What did you love?",
    passive: "What would make it a 10?",
    detractor: "What went wrong?",
  },
  thankYou: {
    promoter: "Glad you love us!",
    passive: "Thanks for the honesty.",
    detractor: "Sorry — we'll do better.",
  },
  commentPlaceholder: "Tell us more",
  submitLabel: "Send",
  csat: null,
  ces: null,
  reviewUrl: "https://reviews.example/shop",
};

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

function setup(responses: Response[], translations: Record<string, string> = english) {
  const fetchMock = vi.fn(
    async (_input: RequestInfo | URL, _init?: RequestInit) => responses.shift() ?? json(500, {}),
  );
  const host: SurveyHost = {
    apiBase: "https://app.example/api/checkout",
    orderId: "gid://shopify/OrderIdentity/1001",
    locale: "en",
    sessionToken: async () => "token-123",
    fetch: fetchMock as unknown as typeof fetch,
  };
  const t = (key: string) => translations[key] ?? key;
  return { host, t, fetchMock };
}

const flush = () => act(async () => new Promise((resolve) => setTimeout(resolve, 0)));

async function mount(host: SurveyHost, t: (key: string) => string) {
  await act(() => {
    render(<Survey host={host} t={t} />, document.body);
  });
}

async function choose(list: Element, value: string) {
  await act(() => {
    (list as unknown as { values: string[] }).values = [value];
    list.dispatchEvent(new Event("change"));
  });
}

describe("the checkout survey extension", () => {
  beforeEach(() => {
    document.body.innerHTML = "";
  });
  afterEach(() => {
    render(null, document.body);
  });

  it("renders nothing while loading and nothing when there is nothing to show", async () => {
    const { host, t } = setup([json(200, { show: false, reason: "already_answered" })]);
    await mount(host, t);
    expect(document.body.innerHTML).toBe("");
    await flush();
    expect(document.body.innerHTML).toBe("");
  });

  it("renders nothing when the app answers with an error", async () => {
    const { host, t } = setup([json(500, { errors: [] })]);
    await mount(host, t);
    await flush();
    expect(document.body.innerHTML).toBe("");
  });

  it("asks with the session token for this order and shows eleven labelled choices with both end labels", async () => {
    const { host, t, fetchMock } = setup([json(200, { show: true, survey })]);
    await mount(host, t);
    await flush();
    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(String(url)).toBe(
      "https://app.example/api/checkout/survey?orderId=gid%3A%2F%2Fshopify%2FOrderIdentity%2F1001&locale=en",
    );
    expect((init?.headers as Record<string, string> | undefined)?.Authorization).toBe("Bearer token-123");
    const list = document.querySelector("s-choice-list");
    expect(list?.getAttribute("label")).toBe(survey.question);
    const choices = [...document.querySelectorAll("s-choice")];
    expect(choices.map((choice) => choice.getAttribute("value"))).toEqual([
      "0",
      "1",
      "2",
      "3",
      "4",
      "5",
      "6",
      "7",
      "8",
      "9",
      "10",
    ]);
    expect(
      choices[0]?.getAttribute("accessibilityLabel") ?? choices[0]?.getAttribute("accessibilitylabel"),
    ).toBe("0 / 10");
    expect(document.body.textContent).toContain("Not at all likely");
    expect(document.body.textContent).toContain("Extremely likely");
    expect(document.querySelector("s-text-area")).toBeNull();
  });

  it("asks the detractor follow-up after a 3, then posts exactly the answer and thanks the shopper", async () => {
    const { host, t, fetchMock } = setup([
      json(200, { show: true, survey }),
      json(201, { id: "r1", category: "detractor" }),
    ]);
    await mount(host, t);
    await flush();
    await choose(document.querySelector("s-choice-list") as Element, "3");
    const area = document.querySelector("s-text-area");
    expect(area?.getAttribute("label")).toBe("What went wrong?");
    await act(() => {
      (area as unknown as { value: string }).value = "  parcel was late  ";
      area?.dispatchEvent(new Event("input"));
    });
    await act(async () => {
      document.querySelector("s-button")?.dispatchEvent(new Event("click"));
    });
    await flush();
    const [url, init] = fetchMock.mock.calls[1] ?? [];
    expect(String(url)).toBe("https://app.example/api/checkout/responses");
    expect(JSON.parse(String(init?.body))).toEqual({
      orderId: "gid://shopify/OrderIdentity/1001",
      score: 3,
      locale: "en",
      comment: "parcel was late",
    });
    expect(document.body.textContent).toContain("Sorry — we'll do better.");
    expect(document.querySelector("s-link")).toBeNull();
  });

  it("offers the review link to a promoter, and treats 409 (already answered) as done", async () => {
    const { host, t } = setup([
      json(200, { show: true, survey }),
      json(409, { errors: [{ field: "orderId" }] }),
    ]);
    await mount(host, t);
    await flush();
    await choose(document.querySelector("s-choice-list") as Element, "10");
    await act(async () => {
      document.querySelector("s-button")?.dispatchEvent(new Event("click"));
    });
    await flush();
    expect(document.body.textContent).toContain("Glad you love us!");
    expect(document.querySelector("s-link")?.getAttribute("href")).toBe("https://reviews.example/shop");
  });

  it("shows a polite error in the shopper's language with a retry when sending fails", async () => {
    const { host, t } = setup([json(200, { show: true, survey }), json(500, {})], french);
    await mount(host, t);
    await flush();
    await choose(document.querySelector("s-choice-list") as Element, "8");
    await act(async () => {
      document.querySelector("s-button")?.dispatchEvent(new Event("click"));
    });
    await flush();
    expect(document.querySelector("s-banner")?.textContent).toBe(french.error);
    expect(document.querySelector("s-button")?.textContent).toBe(french.retry);
  });

  it("has the same keys in every language file", async () => {
    const keys = Object.keys(english).sort();
    for (const locale of ["fr", "de", "es"]) {
      const file = (await import(`../../extensions/nps-checkout/locales/${locale}.json`)) as {
        default: object;
      };
      expect(Object.keys(file.default).sort()).toEqual(keys);
    }
  });
});
