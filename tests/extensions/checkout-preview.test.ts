// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECKOUT_PREVIEW_SCENARIOS, startCheckoutPreview } from "../preview/checkout-preview";

// The developer preview of the checkout extension (`npm run demo`): the page, each panel's frame, the bundle.
describe("the checkout extension preview", () => {
  let preview: Awaited<ReturnType<typeof startCheckoutPreview>>;
  beforeAll(async () => {
    preview = await startCheckoutPreview({ port: 0 });
  }, 30_000);
  afterAll(async () => {
    await preview?.close();
  });

  it("serves one page listing every state, each in its own frame, and says it is a developer preview", async () => {
    const response = await fetch(`${preview.url}/`);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain("Developer preview, not Shopify");
    for (const caption of [
      "Loading",
      "Survey available: the 0–10 scale",
      "Nothing to show",
      "Already answered",
      "Server error while loading",
      "After a 9: promoter follow-up",
      "After a 3: detractor follow-up",
      "After a 7: passive follow-up with optional CSAT and CES",
      "Thank-you with review link",
      "Error while sending",
    ]) {
      expect(page).toContain(`<h2>${caption}</h2>`);
    }
    for (const scenario of CHECKOUT_PREVIEW_SCENARIOS) {
      expect(page).toContain(`src="/panel/${scenario.id}?locale=en"`);
    }
  });

  it("gives each frame its scenario with the extension's translations", async () => {
    const response = await fetch(`${preview.url}/panel/thank-you?locale=fr`);
    expect(response.status).toBe(200);
    const frame = await response.text();
    expect(frame).toContain('<script src="/checkout-preview.js" defer></script>');
    const json = /<script type="application\/json" id="nps-preview-frame">(.*?)<\/script>/s.exec(frame)?.[1];
    const config = JSON.parse(json ?? "null");
    expect(config.translations.review).toBe("Laisser un avis");
    expect(config.load.body.survey.reviewUrl).toMatch(/^https:\/\//);
    expect(config.steps).toEqual([{ choose: "10" }, { type: "Fast delivery!" }, { click: "send" }]);
    expect((await fetch(`${preview.url}/panel/nope`)).status).toBe(404);
  });

  it("serves the browser bundle of the real extension and the s-* shim", async () => {
    const response = await fetch(`${preview.url}/checkout-preview.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("javascript");
    const bundle = await response.text();
    expect(bundle.length).toBeGreaterThan(10_000);
    expect(bundle).toContain('"nps-score"'); // from Survey.tsx
    expect(bundle).toContain("/api/checkout"); // from ThankYou.tsx
    for (const element of ["s-choice-list", "s-text-area", "s-button", "s-link"]) {
      expect(bundle).toContain(`customElements.define("${element}"`);
    }
  });
});
