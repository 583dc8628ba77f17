// @vitest-environment happy-dom
/** @jsxImportSource preact */
import fs from "node:fs";
import path from "node:path";
import { render } from "preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ShopperRewardsView } from "../../../app/domain/loyalty/rewards-view";
import { makeRewardsHost } from "../../../tests/support/extension-host";
import renderBlock from "./RewardsBlock";
import renderPage from "./RewardsPage";

const ENDPOINT = "https://afterglow.example.com/api/customer-account/rewards";
const KEY = /^[0-9a-f]{32}$/;

const perks = (text: string, discountPercent: number | null, freeShipping: boolean) => ({ text, discountPercent, freeShipping });

function viewOf(overrides: Partial<ShopperRewardsView> = {}): ShopperRewardsView {
  return {
    currency: "USD",
    balance: 600,
    pending: 0,
    pendingAvailableAt: null,
    tier: { name: "Silver", perks: perks("Early access", 5, false) },
    next: { name: "Gold", perks: perks("", 10, true), basis: "spend", value: 60_000, from: 25_000, threshold: 100_000, remaining: 40_000 },
    rewards: [
      { id: 1, title: "$5 off", kind: "fixed_amount", pointsCost: 500, amountMinor: 500, percent: null, minimumMinor: 2000, valueText: "$5.00 off", validityDays: 30, affordable: true },
      { id: 2, title: "20% off", kind: "percentage", pointsCost: 2000, amountMinor: null, percent: 20, minimumMinor: null, valueText: "20% off", validityDays: 1, affordable: false },
    ],
    codes: [
      {
        id: "r-1",
        rewardId: 3,
        title: "Free shipping",
        points: 200,
        code: "AG-7K3M-Q9TX",
        status: "issued",
        reason: null,
        expiresAt: "2026-12-20T10:00:00.000Z",
        createdAt: "2026-11-20T10:00:00.000Z",
      },
    ],
    redemptions: [],
    history: [
      { at: "2026-11-20T10:00:00.000Z", kind: "redemption", points: -200, orderName: null, availableAt: null },
      { at: "2026-11-01T10:00:00.000Z", kind: "order", points: 800, orderName: "#1001", availableAt: null },
    ],
    ...overrides,
  };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
const issued = (code: string) => ({ redemption: { ...viewOf().codes[0]!, id: "r-2", rewardId: 1, title: "$5 off", points: 500, code }, balance: 100 });

let fetchMock: ReturnType<typeof vi.fn>;
/** The answers to POSTs, in order (a function throws: a network failure); every GET answers `views` in turn. */
let posts: Array<Response | (() => never)>;
let views: ShopperRewardsView[];

beforeEach(() => {
  posts = [];
  views = [viewOf()];
  fetchMock = vi.fn(async (_url: string, init?: RequestInit) => {
    if (init?.method === "POST") {
      const next = posts.shift();
      if (!next) throw new Error("unexpected POST");
      return typeof next === "function" ? next() : next;
    }
    return json(200, views.length > 1 ? views.shift() : views[0]);
  });
  vi.stubGlobal("fetch", fetchMock);
});
afterEach(() => {
  render(null, document.body);
  vi.unstubAllGlobals();
});

async function mount(options: { language?: string } = {}, entry: () => Promise<void> = renderPage) {
  const host = makeRewardsHost(options);
  vi.stubGlobal("shopify", host);
  await entry();
  await vi.waitFor(() => expect(document.body.querySelector("s-spinner")).toBeNull());
  return host;
}

const body = () => document.body.textContent ?? "";
const banner = () => document.body.querySelector("s-banner");
function button(label: string, within: ParentNode = document.body) {
  const found = [...within.querySelectorAll("s-button")].find((b) => b.textContent === label);
  if (!found) throw new Error(`No button "${label}" in: ${body()}`);
  return found;
}
const buttons = (label: string) => [...document.body.querySelectorAll("s-button")].filter((b) => b.textContent === label);
const click = (el: { dispatchEvent(event: Event): boolean }) => el.dispatchEvent(new Event("click"));
const postsSent = () =>
  fetchMock.mock.calls
    .filter(([, init]) => (init as RequestInit | undefined)?.method === "POST")
    .map(([url, init]) => ({ url: url as string, headers: (init as RequestInit).headers as Record<string, string>, body: JSON.parse(String((init as RequestInit).body)) as Record<string, unknown> }));
const gets = () => fetchMock.mock.calls.filter(([, init]) => (init as RequestInit | undefined)?.method !== "POST");

describe("customer account rewards page", () => {
  it("shows tier, progress to the next tier and its perks, points, what each reward costs, unused codes and history", async () => {
    const host = await mount();

    // The view is asked for with the customer account session token.
    expect(host.sessionToken.get).toHaveBeenCalled();
    expect(gets()).toHaveLength(1);
    expect(gets()[0]![0]).toBe(ENDPOINT);
    expect((gets()[0]![1] as RequestInit).headers).toEqual({ Authorization: "Bearer customer-account-session-token" });

    expect(document.querySelector("s-page")?.getAttribute("heading")).toBe("Rewards");
    const text = body();
    expect(text).toContain("Your tier: Silver");
    expect(text).toContain("Your perks: 5% off every order · Early access");
    expect(text).toContain("600 points available");
    expect(text).toContain("Spend $400.00 more to reach Gold.");
    expect(text).toContain("Gold perks: 10% off every order · Free shipping");
    const progress = document.querySelector("s-progress");
    expect(Number(progress?.getAttribute("value"))).toBeCloseTo(35_000 / 75_000, 6);
    expect(progress?.getAttribute("accessibilityLabel")).toBe("Progress to Gold");

    // Rewards: the affordable one has Redeem, the other says how many points are missing.
    expect(text).toContain("$5.00 off on orders of $20.00 or more");
    expect(text).toContain("500 points · code valid for 30 days");
    expect(text).toContain("20% off");
    expect(text).toContain("2,000 points · code valid for 1 day");
    expect(text).toContain("1,400 more points needed");
    expect(buttons("Redeem")).toHaveLength(1);
    expect(button("Redeem").getAttribute("accessibilityLabel")).toBe("Redeem $5 off for 500 points");

    // Codes: the code as text (selectable whatever the clipboard allows), its end date and a copy button for it.
    expect(text).toContain("AG-7K3M-Q9TX");
    expect(text).toContain("Use by Dec 20, 2026");
    const copy = button("Copy code");
    const item = document.getElementById(copy.getAttribute("commandFor") ?? "");
    expect(copy.getAttribute("command")).toBe("--copy");
    expect(item?.tagName.toLowerCase()).toBe("s-clipboard-item");
    expect(item?.getAttribute("text")).toBe("AG-7K3M-Q9TX");

    // History, newest first, with signs.
    expect(text).toContain("Redeemed−200");
    expect(text).toContain("Earned, order #1001+800");
  });

  it("says when the copy worked, and when the host could not copy, to select the code instead", async () => {
    await mount();
    const item = document.querySelector("s-clipboard-item")!;
    item.dispatchEvent(new Event("copy"));
    await vi.waitFor(() => expect(body()).toContain("Copied"));
    item.dispatchEvent(new Event("copyerror"));
    await vi.waitFor(() => expect(body()).toContain("Couldn't copy. Select the code above to copy it."));
  });

  it("an owed balance (a refund after spending) shows as points owed, never as an error, and offers no Redeem", async () => {
    views = [viewOf({ balance: -120, rewards: viewOf().rewards.map((r) => ({ ...r, affordable: false })) })];
    await mount();

    expect(body()).toContain("You owe 120 points");
    expect(body()).toContain("The points you earn next pay this off first.");
    expect(body()).not.toContain("available");
    expect(banner()).toBeNull();
    expect(buttons("Redeem")).toHaveLength(0);
    // What is missing counts from zero, not from the debt.
    expect(body()).toContain("500 more points needed");
  });

  it("pending points (inside an order's return window) show apart from the available ones, with the date, in the history too", async () => {
    const history = [
      { at: "2026-12-01T10:00:00.000Z", kind: "order", points: 120, orderName: "#1002", availableAt: "2027-01-01T00:00:00.000Z" },
      ...viewOf().history,
    ];
    views = [viewOf({ balance: 600, pending: 120, pendingAvailableAt: "2027-01-01T00:00:00.000Z", history })];
    await mount();

    expect(body()).toContain("600 points available");
    expect(body()).toContain("120 points pending, available on Jan 1, 2027");
    expect(body()).toContain("Points from an order can be spent once its return window has closed.");
    // The pending order's row says when; the others say nothing of the kind.
    expect(body()).toContain("Earned, order #1002+120Available on Jan 1, 2027");
    expect(body().match(/Available on/g)).toHaveLength(1);
  });

  it("no pending points: nothing about them", async () => {
    await mount();
    expect(body()).not.toContain("pending");
    expect(body()).not.toContain("Available on");
  });

  it("Redeem posts the reward with a random idempotency key and the token, shows the new code and reloads the page", async () => {
    await mount();
    posts = [json(201, issued("AG-NEW1-CODE"))];
    views = [viewOf({ balance: 100, codes: [...viewOf().codes, { ...viewOf().codes[0]!, id: "r-2", title: "$5 off", code: "AG-NEW1-CODE" }] })];

    click(button("Redeem"));
    await vi.waitFor(() => expect(banner()?.getAttribute("tone")).toBe("success"));

    const [sent] = postsSent();
    expect(sent!.url).toBe(ENDPOINT);
    expect(sent!.headers).toEqual({ "Content-Type": "application/json", Authorization: "Bearer customer-account-session-token" });
    expect(Object.keys(sent!.body).sort()).toEqual(["idempotencyKey", "rewardId"]);
    expect(sent!.body.rewardId).toBe(1);
    expect(sent!.body.idempotencyKey).toMatch(KEY);
    expect(banner()?.textContent).toBe("Your code AG-NEW1-CODE is ready. Enter it at checkout.");
    await vi.waitFor(() => expect(body()).toContain("100 points available"));
    expect(gets()).toHaveLength(2);
    expect(buttons("Copy code")).toHaveLength(2);
  });

  it("a click whose answer is lost is retried with the same key, and the server's answer for that key (already redeemed) shows its code once", async () => {
    await mount();
    posts = [
      () => {
        throw new TypeError("Failed to fetch");
      },
      json(503, { errors: { request: "Temporary failure, please retry" } }),
      json(200, issued("AG-SAME-CODE")),
    ];

    click(button("Redeem"));
    await vi.waitFor(() => expect(banner()?.getAttribute("tone")).toBe("critical"));
    expect(banner()?.textContent).toContain("We couldn't reach the store. If a code was created it will appear here; otherwise your points are safe.");
    // Nothing was reloaded: what is known has not changed.
    expect(gets()).toHaveLength(1);

    click(button("Try again", banner()!));
    await vi.waitFor(() => expect(postsSent()).toHaveLength(2));
    await vi.waitFor(() => expect(button("Try again", banner()!).hasAttribute("loading")).toBe(false));
    click(button("Try again", banner()!));
    await vi.waitFor(() => expect(banner()?.getAttribute("tone")).toBe("success"));

    const keys = postsSent().map((p) => p.body.idempotencyKey);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    expect(banner()?.textContent).toBe("Your code AG-SAME-CODE is ready. Enter it at checkout.");

    // A definite answer ends that click: the next Redeem is a new redemption with a new key.
    posts = [json(201, issued("AG-NEXT-CODE"))];
    await vi.waitFor(() => expect(button("Redeem").hasAttribute("disabled")).toBe(false));
    click(button("Redeem"));
    await vi.waitFor(() => expect(postsSent()).toHaveLength(4));
    expect(postsSent()[3]!.body.idempotencyKey).toMatch(KEY);
    expect(postsSent()[3]!.body.idempotencyKey).not.toBe(keys[0]);
  });

  it("while a redemption is on its way every Redeem is disabled, so a double click sends one request", async () => {
    views = [viewOf({ rewards: viewOf().rewards.map((r) => ({ ...r, affordable: true })) })];
    await mount();
    let answer!: (r: Response) => void;
    posts = [(() => new Promise<Response>((resolve) => (answer = resolve))) as unknown as () => never];

    click(button("Redeem"));
    click(buttons("Redeem")[0]!);
    await vi.waitFor(() => expect(buttons("Redeem").every((b) => b.hasAttribute("disabled"))).toBe(true));
    expect(buttons("Redeem")[0]!.hasAttribute("loading")).toBe(true);
    expect(postsSent()).toHaveLength(1);
    answer(json(201, issued("AG-ONCE-ONLY")));
    await vi.waitFor(() => expect(banner()?.getAttribute("tone")).toBe("success"));
  });

  it("409: the balance changed (another redemption took the points): says so with the balance, spends nothing, reloads", async () => {
    await mount();
    posts = [json(409, { errors: { points: "This reward costs 500 points; you have 1." }, balance: 1 })];
    views = [viewOf({ balance: 1, rewards: viewOf().rewards.map((r) => ({ ...r, affordable: false })) })];

    click(button("Redeem"));
    await vi.waitFor(() => expect(banner()?.getAttribute("tone")).toBe("warning"));

    expect(banner()?.textContent).toBe("Your points balance changed (another redemption may be under way). You now have 1 point; nothing was spent.");
    await vi.waitFor(() => expect(body()).toContain("1 point available"));
    expect(buttons("Redeem")).toHaveLength(0);
  });

  it("a refusal shows Shopify's reason and that the points are back; a reward switched off meanwhile says so", async () => {
    await mount();
    posts = [json(422, { errors: { reward: "Code must be unique. Please try a different code." }, redemption: {}, balance: 600 }), json(404, { errors: { rewardId: "This reward is not available" } })];

    click(button("Redeem"));
    await vi.waitFor(() => expect(banner()?.getAttribute("tone")).toBe("critical"));
    expect(banner()?.textContent).toBe("The store could not create your code: Code must be unique. Please try a different code. Your points are back.");
    expect(() => button("Try again", banner()!)).toThrow();

    await vi.waitFor(() => expect(button("Redeem").hasAttribute("disabled")).toBe(false));
    click(button("Redeem"));
    await vi.waitFor(() => expect(banner()?.textContent).toBe("This reward is no longer offered. Nothing was spent."));
    // Two definite answers: two different keys.
    const [a, b] = postsSent().map((p) => p.body.idempotencyKey);
    expect(a).not.toBe(b);
  });

  it("202: the code is still being created; the page says it will appear", async () => {
    await mount();
    posts = [json(202, { redemption: { status: "pending", code: null }, balance: 100 })];
    click(button("Redeem"));
    await vi.waitFor(() => expect(banner()?.getAttribute("tone")).toBe("info"));
    expect(banner()?.textContent).toBe("Your code is being created. It will appear under Your codes in a moment.");
  });

  it("a page that cannot load says so with a retry; a signed-out shopper is asked to sign in", async () => {
    fetchMock.mockImplementationOnce(async () => {
      throw new TypeError("Failed to fetch");
    });
    await mount();
    expect(banner()?.textContent).toContain("We couldn't load your rewards.");
    click(button("Try again"));
    await vi.waitFor(() => expect(body()).toContain("600 points available"));

    render(null, document.body);
    fetchMock.mockImplementationOnce(async () => json(403, { errors: { customer: "Sign in to see your rewards" } }));
    await mount();
    expect(body()).toBe("Sign in to see your rewards.");
  });

  it("speaks the shopper's language: French words, plurals, money and dates", async () => {
    views = [viewOf({ balance: -1, rewards: viewOf().rewards.map((r) => ({ ...r, affordable: false })) })];
    await mount({ language: "fr" });
    const text = body().replace(/\u202f|\u00a0/g, " ");
    expect(document.querySelector("s-page")?.getAttribute("heading")).toBe("Récompenses");
    expect(text).toContain("Votre niveau : Silver");
    expect(text).toContain("Vous devez 1 point");
    expect(text).toContain("Dépensez encore 400,00 $US pour atteindre Gold.");
    expect(text).toContain("5,00 $US de réduction dès 20,00 $US d'achat");
    expect(text).toContain("2 000 points · code valable 1 jour");
    expect(text).toContain("À utiliser avant le 20 déc. 2026");
    expect(text).toContain("Gagnés, commande #1001");
  });

  it("pending points in French (plural agreement, date) and Chinese", async () => {
    views = [viewOf({ pending: 1, pendingAvailableAt: "2027-01-01T00:00:00.000Z" })];
    await mount({ language: "fr" });
    expect(body().replace(/\u202f|\u00a0/g, " ")).toContain("1 point en attente, disponible le 1 janv. 2027");
    render(null, document.body);

    views = [viewOf({ pending: 40, pendingAvailableAt: "2027-01-01T00:00:00.000Z" })];
    await mount({ language: "zh-CN" });
    expect(body()).toContain("40 积分待生效，2027年1月1日 起可用");
  });

  it("German and Chinese plurals, and orders as the qualifying basis", async () => {
    views = [viewOf({ balance: 1, next: { name: "Gold", perks: perks("", null, true), basis: "orders", value: 4, from: 0, threshold: 5, remaining: 1 } })];
    await mount({ language: "de" });
    expect(body()).toContain("1 Punkt verfügbar");
    expect(body()).toContain("Noch 1 Bestellung bis Gold.");
    render(null, document.body);

    await mount({ language: "zh-CN" });
    expect(body()).toContain("可用积分：1");
    expect(body()).toContain("再下 1 笔订单即可升至 Gold。");
  });
});

describe("customer account rewards block (profile page)", () => {
  it("shows tier, points, unused codes and a link to the Rewards page, without the catalogue", async () => {
    await mount({}, renderBlock);
    const text = body();
    expect(document.querySelector("s-section")?.getAttribute("heading")).toBe("Rewards");
    expect(text).toContain("Your tier: Silver");
    expect(text).toContain("600 points available");
    expect(text).toContain("Spend $400.00 more to reach Gold.");
    expect(text).toContain("1 unused code");
    expect(text).not.toContain("Redeem");
    expect(document.querySelector("s-link")?.getAttribute("href")).toBe("extension://customer-account-rewards");
    expect(document.querySelector("s-link")?.textContent).toBe("View your rewards");
  });

  it("the block shows pending points and their date too", async () => {
    views = [viewOf({ pending: 120, pendingAvailableAt: "2027-01-01T00:00:00.000Z" })];
    await mount({}, renderBlock);
    expect(body()).toContain("120 points pending, available on Jan 1, 2027");
    expect(body()).not.toContain("return window");
  });

  it("an owed balance shows as owed in the block too", async () => {
    views = [viewOf({ balance: -40, codes: [] })];
    await mount({}, renderBlock);
    expect(body()).toContain("You owe 40 points");
    expect(body()).not.toContain("unused code");
  });
});

describe("rewards extension locales", () => {
  const dir = path.join(__dirname, "..", "locales");
  /** Leaf keys; a plural entry (one/other…) counts as one leaf. */
  const PLURAL = new Set(["zero", "one", "two", "few", "many", "other"]);
  const leaves = (node: unknown, prefix = ""): string[] =>
    node && typeof node === "object" && !Object.keys(node).every((k) => PLURAL.has(k))
      ? Object.entries(node).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k))
      : [prefix];
  const read = (file: string) => JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as unknown;

  it.each(["fr.json", "de.json", "es.json", "zh-CN.json"])("%s has every string English has, and no other", (file) => {
    expect(leaves(read(file)).sort()).toEqual(leaves(read("en.default.json")).sort());
  });
});
