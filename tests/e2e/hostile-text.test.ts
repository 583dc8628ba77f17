import { getJwt } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { signedWebhook } from "../support/webhooks";
import { launchBrowser, screenshot, watchPage } from "./support/browser";

/**
 * Shopper- and staff-written text that is HTML renders as text on every admin page that shows it, in the server's
 * HTML (including the loader data Remix serialises into a script) and in the browser after hydration. The text goes
 * in the way real input does: a signed order webhook (customer name), the checkout endpoint (comment), the follow-up
 * and points forms (notes, reason).
 */
const baseUrl = inject("baseUrl");
const demoSecret = inject("demoSecret");
const SHOP = "afterglow-demo.myshopify.com";
const DEMO_API_KEY = "afterglow-demo-api-key";
const CUSTOMER = 990101;
const ORDER = 990102;

const IMG = "<img src=x onerror=alert(1)>";
const BREAKOUT = '"><script>alert(2)</script>';
const hostile = (where: string) => `${where} ${IMG} ${BREAKOUT}`;

let browser: Browser;

async function send(request: Request) {
  const body = await request.text();
  return fetch(`${baseUrl}${new URL(request.url).pathname}`, { method: request.method, headers: request.headers, body });
}

const post = (path: string, fields: Record<string, string>) => fetch(`${baseUrl}${path}`, { method: "POST", body: new URLSearchParams(fields), redirect: "manual" });

beforeAll(async () => {
  browser = await launchBrowser();
  // The customer's name, from a signed order webhook.
  const now = new Date().toISOString();
  const order = {
    id: ORDER,
    name: "#E2E-XSS",
    created_at: now,
    updated_at: now,
    currency: "USD",
    total_price: "12.00",
    test: false,
    customer: { id: CUSTOMER, first_name: IMG, last_name: BREAKOUT, email: "xss.shopper@example.com" },
    line_items: [{ id: 1, product_id: 2, title: "Tee", quantity: 1, price: "12.00" }],
  };
  expect((await send(signedWebhook({ topic: "orders/create", shop: SHOP, body: order, secret: demoSecret }))).status).toBe(200);

  // The shopper's comment, through the checkout endpoint with the extension's session token.
  const t = Math.floor(Date.now() / 1000);
  const { token } = await getJwt(SHOP.replace(".myshopify.com", ""), DEMO_API_KEY, demoSecret, { iat: t - 5, nbf: t - 5, exp: t + 300, sid: undefined, iss: undefined });
  const answer = await fetch(`${baseUrl}/api/checkout/survey`, {
    method: "POST",
    // A browser's user agent: the library answers 410 to bots, and Node's fetch says "node".
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", Origin: "https://extensions.shopifycdn.com", "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36" },
    body: JSON.stringify({ orderId: `gid://shopify/OrderIdentity/${ORDER}`, locale: "en", answers: { nps: 1, comment: hostile("comment") } }),
  });
  expect(answer.status).toBe(201);

  // Staff text: a points adjustment reason, and notes on the follow-up the unhappy answer opened.
  const adjust = await post(`/app/customers/${CUSTOMER}`, { points: "5", reason: hostile("reason") });
  expect(adjust.status).toBeLessThan(400);
  const page = await browser.newPage();
  await page.goto(`${baseUrl}/app/followups`, { waitUntil: "networkidle" });
  const item = page.locator("li[data-followup-id]").filter({ hasText: "comment <img src=x" });
  const id = await item.first().getAttribute("data-followup-id");
  await page.close();
  expect(id).toMatch(/^\d+$/);
  const update = await post("/app/followups", { intent: "update", id: id!, status: "contacted", owner: hostile("owner").slice(0, 90), notes: hostile("notes") });
  expect(update.status).toBeLessThan(400);
});
afterAll(async () => {
  await browser?.close();
});

const PAGES: [string, string, string[]][] = [
  ["the customers list", `/app/customers?q=${encodeURIComponent("onerror")}`, []],
  ["the customer page", `/app/customers/${CUSTOMER}`, ["reason"]],
  ["the follow-ups queue", "/app/followups?status=contacted", ["comment", "notes"]],
  ["the survey answers", "/app/survey", ["comment"]],
  ["the dashboard's latest comments", "/app", ["comment"]],
];

describe("hostile text on the admin pages", () => {
  it.each(PAGES)("%s: the server's HTML carries it escaped, never as markup", async (_label, path, texts) => {
    const html = await (await fetch(`${baseUrl}${path}`)).text();
    // Rendered as text: escaped in the markup…
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    for (const where of texts) expect(html).toContain(`${where} &lt;img src=x onerror=alert(1)&gt;`);
    // …and nowhere as a tag, not even inside the serialised loader data.
    expect(html).not.toContain("<img src=x");
    expect(html).not.toContain("<script>alert(");
    expect(html).not.toContain("onerror=alert(1)>");
  });

  it.each(PAGES)("%s: in Chromium the text shows as text and nothing runs", async (label, path, texts) => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${baseUrl}${path}`, { waitUntil: "networkidle" });
    const body = await page.locator("body").innerText();
    expect(body).toContain(IMG);
    for (const where of texts) expect(body).toContain(`${where} ${IMG}`);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    // No script element of the shopper's (the page's own scripts carry the text only as escaped JSON data).
    expect(await page.evaluate(() => [...document.scripts].filter((s) => /^\s*alert\(/.test(s.textContent ?? "")).length)).toBe(0);
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
    await screenshot(page, `hostile-text-${label.replace(/[^a-z]+/gi, "-")}`);
    await page.close();
  });
});

describe("security headers", () => {
  it("an embedded document response allows framing by the shop's admin only (CSP frame-ancestors)", async () => {
    const response = await fetch(`${baseUrl}/app/privacy?shop=${SHOP}&host=${btoa(`admin.shopify.com/store/afterglow-demo`)}&embedded=1`);
    expect(response.status).toBe(200);
    const csp = response.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toMatch(new RegExp(`^frame-ancestors https://${SHOP.replace(/\./g, "\\.")} https://admin\\.shopify\\.com[ ;]`));
    expect(csp).not.toContain("*;");
  });

  it("a shop parameter that is not a shop domain gets no frame-ancestors for it", async () => {
    const response = await fetch(`${baseUrl}/app/privacy?shop=evil.example.com&embedded=1`);
    expect(response.headers.get("Content-Security-Policy") ?? "").not.toContain("evil.example.com");
  });
});
