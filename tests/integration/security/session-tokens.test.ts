import { randomUUID } from "node:crypto";
import { getJwt } from "@shopify/shopify-api/test-helpers";
import { SignJWT } from "jose";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { loader as customersLoader } from "~/routes/app.customers._index/route";
import { loader as exportLoader } from "~/routes/app.export.answers[.]csv";
import { action as followUpsAction } from "~/routes/app.followups/route";
import { action as checkoutAction, loader as checkoutLoader } from "~/routes/api.checkout.survey";
import { resetSurveyRateLimits } from "../../support/rate-limits";
import { checkoutRequest, EXTENSION_ORIGIN } from "../../support/checkout";
import { databaseState } from "../../support/db-state";
import { installShop } from "../../support/sessions";
import { TEST_API_KEY, TEST_SECRET } from "../../support/webhooks";

/**
 * Session tokens that must not get in: the checkout endpoint (the extension's token) and the embedded admin
 * (App Bridge's token) both answer 401, with nothing read for and nothing written to any shop.
 */
const STORE = "tokens-shop";
const SHOP = `${STORE}.myshopify.com`;
const now = () => Math.floor(Date.now() / 1000);

type Claims = Record<string, unknown>;

/** A token as Shopify issues it for `STORE`, with some claims replaced (undefined drops the claim). */
async function token(claims: Claims = {}, secret = TEST_SECRET) {
  const t = now();
  const base = { iat: t - 5, nbf: t - 5, exp: t + 300, jti: randomUUID(), sid: undefined };
  return (await getJwt(STORE, TEST_API_KEY, secret, { ...base, ...claims })).token;
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** What a forger can make without the secret, or with the secret but the wrong algorithm. */
async function forged(kind: "alg-none" | "hs512" | "payload-swapped") {
  const t = now();
  const payload = { iss: `https://${SHOP}/admin`, dest: `https://${SHOP}`, aud: TEST_API_KEY, iat: t, nbf: t, exp: t + 300, jti: randomUUID() };
  if (kind === "alg-none") return `${b64url({ alg: "none", typ: "JWT" })}.${b64url(payload)}.`;
  if (kind === "hs512") return new SignJWT(payload).setProtectedHeader({ alg: "HS512" }).sign(Buffer.from(TEST_SECRET));
  // A genuine token of another shop with its payload replaced by one naming this shop; the signature no longer fits.
  const genuine = (await getJwt("another-shop", TEST_API_KEY, TEST_SECRET)).token;
  const [header, , signature] = genuine.split(".");
  return `${header}.${b64url(payload)}.${signature}`;
}

const BAD_TOKENS: [string, () => Promise<string>][] = [
  ["expired a minute ago", () => token({ exp: now() - 60 })],
  ["not valid for another two minutes (nbf)", () => token({ nbf: now() + 120 })],
  ["issued for another app (aud)", () => token({ aud: "another-apps-api-key" })],
  ["issued for several apps, not this one (aud list)", () => token({ aud: ["another-apps-api-key", "a-third-app"] })],
  ["signed with another secret", () => token({}, "another-apps-secret")],
  ["unsigned (alg none)", () => forged("alg-none")],
  ["signed with HS512", () => forged("hs512")],
  ["another shop's token with its payload swapped", () => forged("payload-swapped")],
  ["not a JWT", async () => "not.a.jwt"],
];

beforeAll(async () => {
  await installShop(SHOP);
});
beforeEach(() => resetSurveyRateLimits());

const answerBody = (order: number) => ({ orderId: `gid://shopify/OrderIdentity/${order}`, locale: "en", answers: { nps: 3, comment: "late" } });

describe("checkout endpoint: POST and GET /api/checkout/survey", () => {
  it("accepts a genuine token (the control for the cases below)", async () => {
    const response = await checkoutAction({ request: await checkoutRequest(STORE, "/api/checkout/survey", { token: await token(), body: answerBody(1) }), params: {}, context: {} });
    expect(response.status).toBe(201);
    // Order 1 has not arrived: the answer waits apart until it does (decision 022).
    expect(await prisma.pendingSurveyAnswer.count({ where: { shop: SHOP, orderId: "1" } })).toBe(1);
  });

  it.each(BAD_TOKENS)("401 with CORS to a token %s, nothing stored", async (_label, make) => {
    const bad = await make();
    const before = await databaseState();
    const post = await checkoutAction({ request: await checkoutRequest(STORE, "/api/checkout/survey", { token: bad, body: answerBody(2) }), params: {}, context: {} });
    const get = await checkoutLoader({
      request: await checkoutRequest(STORE, "/api/checkout/survey", { token: bad, method: "GET", search: "?orderId=gid://shopify/Order/1" }),
      params: {},
      context: {},
    });
    for (const response of [post, get]) {
      expect(response.status).toBe(401);
      expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
      expect(await response.text()).not.toContain("answered");
    }
    expect(await databaseState()).toEqual(before);
  });

  it("accepts a token without an audience, as the library does (older checkout tokens carried none)", async () => {
    const response = await checkoutAction({
      request: await checkoutRequest(STORE, "/api/checkout/survey", { token: await token({ aud: undefined }), body: answerBody(4) }),
      params: {},
      context: {},
    });
    expect(response.status).toBe(201);
  });

  it("401 to a token under another scheme or in the query string instead of the Authorization header", async () => {
    const good = await token();
    const variants: Record<string, string>[] = [{ Authorization: `Basic ${good}` }, { Authorization: `Bearer ${good}x` }, {}];
    for (const headers of variants) {
      const request = new Request(`https://afterglow.test/api/checkout/survey?token=${good}`, {
        method: "POST",
        headers: { Origin: EXTENSION_ORIGIN, "Content-Type": "application/json", ...headers },
        body: JSON.stringify(answerBody(3)),
      });
      expect((await checkoutAction({ request, params: {}, context: {} })).status).toBe(401);
    }
    expect(await prisma.surveyResponse.count({ where: { orderId: "3" } })).toBe(0);
    expect(await prisma.pendingSurveyAnswer.count({ where: { orderId: "3" } })).toBe(0);
  });
});

describe("embedded admin: loaders, actions and the CSV export", () => {
  const adminCall = async (bearer: string) => {
    const headers = { Authorization: `Bearer ${bearer}` };
    const outcomes: unknown[] = [];
    const run = async (work: () => Promise<unknown>) => outcomes.push(await work().catch((thrown: unknown) => thrown));
    await run(() => customersLoader({ request: new Request("https://afterglow.test/app/customers", { headers }), params: {}, context: {} }));
    await run(() => exportLoader({ request: new Request("https://afterglow.test/app/export/answers.csv", { headers }), params: {}, context: {} }));
    const form = new FormData();
    form.set("intent", "update");
    form.set("id", "1");
    form.set("status", "resolved");
    await run(() => followUpsAction({ request: new Request("https://afterglow.test/app/followups", { method: "POST", headers, body: form }), params: {}, context: {} }));
    return outcomes;
  };

  it("serves a genuine token (the control)", async () => {
    const outcomes = await adminCall(await token());
    expect(outcomes[0]).toMatchObject({ customers: [] });
    expect(outcomes[1]).toBeInstanceOf(Response);
    expect((outcomes[1] as Response).status).toBe(200);
  });

  it.each(BAD_TOKENS)("401 to a token %s, nothing served, nothing written", async (_label, make) => {
    const before = await databaseState();
    const outcomes = await adminCall(await make());
    for (const outcome of outcomes) {
      expect(outcome).toBeInstanceOf(Response);
      expect((outcome as Response).status).toBe(401);
      expect((outcome as Response).headers.get("Content-Type") ?? "").not.toContain("text/csv");
    }
    expect(await databaseState()).toEqual(before);
  });
});
