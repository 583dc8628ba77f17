// @vitest-environment happy-dom
/** @jsxImportSource preact */
import { render } from "preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_SURVEY_CONFIG, type SurveyConfig } from "../../../app/domain/survey/questions";
import renderThankYou from "./ThankYou";
import renderOrderStatus from "./OrderStatus";
import { makeHost, type HostOptions } from "../../../tests/support/extension-host";

const APP = "https://afterglow.example.com";
let fetchMock: ReturnType<typeof vi.fn>;

/**
 * The app's three endpoints as the extension calls them: the answer status (GET), an answer step (POST) and "seen"
 * (POST …/seen). Each answers from its own queue of replies (a Response, or an Error thrown as a network failure),
 * then with its usual success.
 */
type Kind = "status" | "answer" | "seen" | "audience";
let replies: Record<Kind, Array<Response | Error>>;
const kindOf = (url: string, init: RequestInit = {}): Kind =>
  url.includes("/seen?") ? "seen" : url.endsWith("/audience") ? "audience" : (init.method ?? "GET") === "POST" ? "answer" : "status";
const queue = (kind: Kind, ...next: Array<Response | Error>) => replies[kind].push(...next);

beforeEach(() => {
  replies = { status: [], answer: [], seen: [], audience: [] };
  fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
    const kind = kindOf(url, init);
    const next = replies[kind].shift();
    if (next instanceof Error) throw next;
    if (next) return next;
    if (kind === "audience") return new Response(JSON.stringify({ firstOrder: true, known: true }), { status: 200 });
    return kind === "status" ? new Response(JSON.stringify({ answered: false, editable: true }), { status: 200 }) : new Response(JSON.stringify({ ok: true }), { status: 201 });
  });
  vi.stubGlobal("fetch", fetchMock);
});
afterEach(() => {
  render(null, document.body);
  vi.unstubAllGlobals();
});

async function mount(options: HostOptions = {}, entry: () => Promise<void> = renderThankYou) {
  const made = makeHost(options);
  vi.stubGlobal("shopify", made.host);
  await entry();
  return made;
}

const body = () => document.body.textContent ?? "";
const heading = () => document.body.querySelector("s-heading")?.textContent ?? "";
const settle = () => vi.waitFor(() => expect(document.body.querySelector("s-heading, s-text, s-banner")).not.toBeNull());

function button(label: string) {
  const found = [...document.body.querySelectorAll("s-button")].find((b) => b.textContent === label);
  if (!found) throw new Error(`No button "${label}" in: ${body()}`);
  return found;
}
const click = async (label: string) => {
  button(label).dispatchEvent(new Event("click"));
  await Promise.resolve();
};
async function choose(name: string, value: string) {
  const list = document.body.querySelector(`s-choice-list[name="${name}"]`);
  if (!list) throw new Error(`No choice list ${name}`);
  Object.assign(list, { values: [value] });
  list.dispatchEvent(new Event("change"));
  await vi.waitFor(() => expect(list.querySelector(`s-choice[value="${value}"]`)?.getAttribute("selected")).toBe("true"));
}
async function type(selector: string, value: string) {
  const field = document.body.querySelector(selector);
  if (!field) throw new Error(`No field ${selector}`);
  Object.assign(field, { value });
  field.dispatchEvent(new Event("input"));
  await Promise.resolve();
}
/** The requests of one kind, in order. */
const requests = (kind: Kind) =>
  (fetchMock.mock.calls as Array<[string, RequestInit | undefined]>)
    .filter(([url, init]) => kindOf(url, init) === kind)
    .map(([url, init = {}]) => ({ url, headers: init.headers as Record<string, string>, body: init.body === undefined ? undefined : (JSON.parse(String(init.body)) as unknown) }));
/** The i-th answer step sent. */
const sent = (i = 0) => {
  const found = requests("answer")[i];
  if (!found) throw new Error(`No answer step ${i}`);
  return found;
};
/** The last answer step sent (the one that completes the set). */
const last = () => sent(requests("answer").length - 1);
const ORDER = "gid://shopify/OrderIdentity/1001";

describe("post-purchase survey extension", () => {
  it("walks the whole default flow and submits the answers with the session token", async () => {
    // GIVEN the default config (no metafield): attribution first, then NPS, CSAT, comment
    const { storage } = await mount();
    await settle();
    expect(heading()).toBe("How did you hear about us?");
    expect(body()).toContain("Question 1 of 4");

    // WHEN the shopper answers every question
    await choose("attribution", "other");
    await type("s-text-field", "  A podcast ");
    await click("Next");
    await vi.waitFor(() => expect(heading()).toBe("How likely are you to recommend Maple & Co to a friend?"));
    expect(body()).toContain("Question 2 of 4");
    expect(document.querySelectorAll('s-choice-list[name="nps"] s-choice')).toHaveLength(11);
    // every choice is labelled for screen readers
    expect(document.querySelector('s-choice[value="0"]')?.getAttribute("accessibilityLabel")).toBe("0 on a scale from 0 to 10");
    await choose("nps", "9");
    await click("Next");
    await vi.waitFor(() => expect(heading()).toBe("How satisfied are you with your purchase?"));
    await choose("csat", "5");
    await click("Next");
    await vi.waitFor(() => expect(heading()).toBe("Anything else you would like to tell us?"));
    await type("s-text-area", "Lovely packaging");
    await click("Send");

    // THEN each step was saved as it was given (every answer so far, and the questions shown), the last one
    // completing the set, each with the bearer token and the validated body; and the thank-you state
    await vi.waitFor(() => expect(body()).toContain("Thank you for your feedback!"));
    expect(requests("answer").map((r) => [r.url, r.headers.Authorization])).toEqual(
      new Array(4).fill([`${APP}/api/checkout/survey?surface=thank-you`, "Bearer session-token-jwt"]),
    );
    const attribution = { optionId: "other", other: "A podcast" };
    expect(requests("answer").map((r) => r.body)).toEqual([
      { orderId: ORDER, locale: "en", answers: { attribution }, complete: false, reached: ["attribution", "nps"] },
      { orderId: ORDER, locale: "en", answers: { attribution, nps: 9 }, complete: false, reached: ["attribution", "nps", "csat"] },
      { orderId: ORDER, locale: "en", answers: { attribution, nps: 9, csat: 5 }, complete: false, reached: ["attribution", "nps", "csat", "comment"] },
      { orderId: ORDER, locale: "en", answers: { attribution, nps: 9, csat: 5, comment: "Lovely packaging" }, reached: ["attribution", "nps", "csat", "comment"] },
    ]);
    expect(storage.get("answered:1001")).toBeTruthy();
    // AND the survey was reported seen once, with the order only
    expect(requests("seen")).toEqual([{ url: `${APP}/api/checkout/survey/seen?surface=thank-you`, headers: { "Content-Type": "application/json", Authorization: "Bearer session-token-jwt" }, body: { orderId: ORDER } }]);
    expect(storage.get("seen:thank-you:1001")).toBe(true);
  });

  it("posts to the endpoint the app published with the config", async () => {
    const config = structuredClone(DEFAULT_SURVEY_CONFIG) as SurveyConfig;
    for (const type of ["csat", "attribution", "comment"] as const) config.questions[type].enabled = false;
    config.endpoint = "https://afterglow.shop-host.example/api/checkout/survey";
    await mount({ surveyConfig: config });
    await settle();
    await choose("nps", "7");
    await click("Send");
    await vi.waitFor(() => expect(body()).toContain("Thank you for your feedback!"));
    expect(requests("answer").map((r) => r.url)).toEqual(["https://afterglow.shop-host.example/api/checkout/survey?surface=thank-you"]);
    expect(sent().body).toEqual({ orderId: ORDER, locale: "en", answers: { nps: 7 }, reached: ["nps"] });
    expect(requests("seen").map((r) => r.url)).toEqual(["https://afterglow.shop-host.example/api/checkout/survey/seen?surface=thank-you"]);
  });

  describe("text limits count characters, as the server does", () => {
    const commentOnly = () => {
      const config = structuredClone(DEFAULT_SURVEY_CONFIG) as SurveyConfig;
      for (const type of ["nps", "csat", "attribution"] as const) config.questions[type].enabled = false;
      return config;
    };

    it("takes a comment of 600 emoji (1,200 UTF-16 units): no error, sent whole", async () => {
      await mount({ surveyConfig: commentOnly() });
      await settle();
      const area = document.body.querySelector("s-text-area")!;
      // The field's own limit (UTF-16 units) leaves room for 1,000 characters of two units each.
      expect(area.getAttribute("maxLength") ?? String((area as unknown as { maxLength?: number }).maxLength)).toBe("2000");
      const emoji = "🙂".repeat(600);
      await type("s-text-area", emoji);
      expect(area.getAttribute("error")).toBeNull();
      expect(button("Send").getAttribute("disabled")).toBeNull();
      await click("Send");
      await vi.waitFor(() => expect(body()).toContain("Thank you for your feedback!"));
      expect(requests("answer").map((r) => r.body)).toEqual([{ orderId: ORDER, locale: "en", answers: { comment: emoji }, reached: ["comment"] }]);
    });

    it("holds a comment of 1,001 characters with an error naming the count, and sends nothing", async () => {
      await mount({ surveyConfig: commentOnly() });
      await settle();
      await type("s-text-area", "🙂".repeat(1001));
      await vi.waitFor(() => expect(document.body.querySelector("s-text-area")?.getAttribute("error")).toBe("Please keep it to 1000 characters (1001 now)."));
      expect(button("Send").getAttribute("disabled")).toBe("true");
      await type("s-text-area", "🙂".repeat(1000));
      await vi.waitFor(() => expect(document.body.querySelector("s-text-area")?.getAttribute("error")).toBeNull());
      expect(button("Send").getAttribute("disabled")).toBeNull();
      expect(requests("answer")).toEqual([]);
    });

    it("counts the 'Other' answer in characters too (200)", async () => {
      const config = structuredClone(DEFAULT_SURVEY_CONFIG) as SurveyConfig;
      for (const type of ["nps", "csat", "comment"] as const) config.questions[type].enabled = false;
      await mount({ surveyConfig: config });
      await settle();
      await choose("attribution", "other");
      await type("s-text-field", "🎧".repeat(200));
      expect(document.body.querySelector("s-text-field")?.getAttribute("error")).toBeNull();
      await type("s-text-field", "🎧".repeat(201));
      await vi.waitFor(() => expect(document.body.querySelector("s-text-field")?.getAttribute("error")).toBe("Please keep it to 200 characters (201 now)."));
      expect(button("Send").getAttribute("disabled")).toBe("true");
    });
  });

  it("treats a 403 (another customer's order) as not accepted, without a retry", async () => {
    queue("answer", new Response(JSON.stringify({ errors: { order: "This order belongs to another customer" } }), { status: 403 }));
    const config = structuredClone(DEFAULT_SURVEY_CONFIG) as SurveyConfig;
    for (const type of ["csat", "attribution", "comment"] as const) config.questions[type].enabled = false;
    await mount({ surveyConfig: config });
    await settle();
    await choose("nps", "5");
    await click("Send");
    await vi.waitFor(() => expect(body()).toContain("Some answers could not be accepted"));
    expect(body()).not.toContain("Try again");
  });

  it("lets the shopper skip the survey without sending an answer (it was seen)", async () => {
    await mount();
    await settle();
    await click("No thanks");
    await vi.waitFor(() => expect(body()).toContain("No problem. Thank you for your order!"));
    expect(requests("answer")).toEqual([]);
    expect(requests("seen").map((r) => r.body)).toEqual([{ orderId: ORDER }]);
  });

  it("shows a retry state on a network error and sends again on retry", async () => {
    queue("answer", new TypeError("Failed to fetch"));
    const config: SurveyConfig = { ...DEFAULT_SURVEY_CONFIG, questions: { ...DEFAULT_SURVEY_CONFIG.questions, csat: { enabled: false, text: {} }, attribution: { ...DEFAULT_SURVEY_CONFIG.questions.attribution, enabled: false }, comment: { enabled: false, text: {} } } };
    await mount({ surveyConfig: config });
    await settle();
    await choose("nps", "3");
    await click("Send");
    await vi.waitFor(() => expect(body()).toContain("We couldn't reach our server"));
    await click("Try again");
    await vi.waitFor(() => expect(body()).toContain("Thank you for your feedback!"));
    expect(requests("answer")).toHaveLength(2);
    expect(sent(1).body).toEqual(sent(0).body);
  });

  describe("answers saved as they are given (decision 041)", () => {
    it("a step lost to the network is carried by the next one; a shopper who leaves keeps what they gave", async () => {
      // GIVEN the network fails on the first step only
      queue("answer", new TypeError("Failed to fetch"));
      await mount();
      await settle();
      await choose("attribution", "friend");
      await click("Next");
      // THEN the shopper goes on, unaware
      await vi.waitFor(() => expect(heading()).toBe("How likely are you to recommend Maple & Co to a friend?"));
      await choose("nps", "9");
      await click("Next");
      await vi.waitFor(() => expect(heading()).toBe("How satisfied are you with your purchase?"));
      // WHEN they leave at the third question
      await click("No thanks");
      await vi.waitFor(() => expect(body()).toContain("No problem. Thank you for your order!"));
      await vi.waitFor(() => expect(requests("answer")).toHaveLength(3));
      // THEN the second step re-sent the first answer with its own, and leaving saved every answer so far, not complete
      const friend = { optionId: "friend" };
      expect(requests("answer").map((r) => r.body)).toEqual([
        { orderId: ORDER, locale: "en", answers: { attribution: friend }, complete: false, reached: ["attribution", "nps"] },
        { orderId: ORDER, locale: "en", answers: { attribution: friend, nps: 9 }, complete: false, reached: ["attribution", "nps", "csat"] },
        { orderId: ORDER, locale: "en", answers: { attribution: friend, nps: 9 }, complete: false, reached: ["attribution", "nps", "csat"] },
      ]);
      expect(body()).not.toContain("We couldn't reach our server");
    });

    it("the last step waits for the steps before it, and a failed last step is sent again whole on retry", async () => {
      // GIVEN the second step and then the last one fail
      const ok = () => new Response("{}", { status: 201 });
      queue("answer", ok(), new Response("{}", { status: 503 }), ok(), new TypeError("Failed to fetch"));
      await mount();
      await settle();
      await choose("attribution", "search");
      await click("Next");
      await vi.waitFor(() => expect(heading()).toBe("How likely are you to recommend Maple & Co to a friend?"));
      await choose("nps", "6");
      await click("Next");
      await vi.waitFor(() => expect(heading()).toBe("How satisfied are you with your purchase?"));
      await choose("csat", "2");
      await click("Next");
      await vi.waitFor(() => expect(heading()).toBe("Anything else you would like to tell us?"));
      await click("Send");
      await vi.waitFor(() => expect(body()).toContain("We couldn't reach our server"));
      await click("Try again");
      await vi.waitFor(() => expect(body()).toContain("Thank you for your feedback!"));
      const search = { optionId: "search" };
      const complete = { orderId: ORDER, locale: "en", answers: { attribution: search, nps: 6, csat: 2 }, reached: ["attribution", "nps", "csat", "comment"] };
      expect(requests("answer").map((r) => r.body)).toEqual([
        { orderId: ORDER, locale: "en", answers: { attribution: search }, complete: false, reached: ["attribution", "nps"] },
        { orderId: ORDER, locale: "en", answers: { attribution: search, nps: 6 }, complete: false, reached: ["attribution", "nps", "csat"] },
        { orderId: ORDER, locale: "en", answers: { attribution: search, nps: 6, csat: 2 }, complete: false, reached: ["attribution", "nps", "csat", "comment"] },
        complete,
        complete,
      ]);
    });

    it("a step the server refuses as already answered (409) shows the 'already answered' state", async () => {
      queue("answer", new Response("{}", { status: 409 }));
      await mount();
      await settle();
      await choose("attribution", "ad");
      await click("Next");
      await vi.waitFor(() => expect(body()).toContain("you have already answered"));
      expect(document.querySelector("s-heading")).toBeNull();
    });
  });

  describe("seen (decision 041)", () => {
    it("is sent once per order and surface: not again on a reload of the same order, nor when the order was answered", async () => {
      // GIVEN the survey is shown, and the shopper answers and moves on
      const first = await mount();
      await settle();
      await choose("attribution", "search");
      await click("Next");
      await vi.waitFor(() => expect(heading()).toBe("How likely are you to recommend Maple & Co to a friend?"));
      expect(requests("seen")).toHaveLength(1);
      // WHEN the page reloads on this device
      render(null, document.body);
      await mount({ stored: Object.fromEntries(first.storage) });
      await settle();
      // THEN nothing more is sent
      expect(requests("seen")).toHaveLength(1);
      // AND an order answered already shows no survey and reports nothing
      render(null, document.body);
      await mount({ stored: { "answered:1002": { at: 1 } }, orderId: "gid://shopify/OrderIdentity/1002" });
      await vi.waitFor(() => expect(body()).toContain("you have already answered"));
      expect(requests("seen")).toHaveLength(1);
      // AND another order is its own
      render(null, document.body);
      await mount({ orderId: "gid://shopify/OrderIdentity/1003" });
      await settle();
      await vi.waitFor(() => expect(requests("seen").map((r) => r.body)).toEqual([{ orderId: ORDER }, { orderId: "gid://shopify/OrderIdentity/1003" }]));
    });

    it("a seen the app did not take is not remembered (the next showing sends it), and never blocks the survey", async () => {
      queue("seen", new Response("{}", { status: 500 }));
      const first = await mount();
      await settle();
      await vi.waitFor(() => expect(requests("seen")).toHaveLength(1));
      expect(heading()).toBe("How did you hear about us?");
      expect(first.storage.has("seen:thank-you:1001")).toBe(false);
      render(null, document.body);
      await mount({ stored: Object.fromEntries(first.storage) });
      await settle();
      await vi.waitFor(() => expect(requests("seen")).toHaveLength(2));
    });

    it("on the order status page, is reported for that surface", async () => {
      await mount({}, renderOrderStatus);
      await settle();
      await vi.waitFor(() => expect(requests("seen").map((r) => [r.url, r.body])).toEqual([[`${APP}/api/checkout/survey/seen?surface=order-status`, { orderId: "gid://shopify/Order/1001" }]]));
    });
  });

  it("shows 'already answered' when this device remembers the order", async () => {
    await mount({ stored: { "answered:1001": { at: 1 } } }, renderOrderStatus);
    await vi.waitFor(() => expect(body()).toContain("you have already answered the survey for this order"));
    expect(document.querySelector("s-heading")).toBeNull();
  });

  it("on the order status page, asks the app first and shows 'already answered' for an order answered at checkout", async () => {
    queue("status", new Response(JSON.stringify({ answered: true, editable: false }), { status: 200 }));
    await mount({}, renderOrderStatus);
    await vi.waitFor(() => expect(body()).toContain("you have already answered the survey for this order"));
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe(`${APP}/api/checkout/survey?orderId=${encodeURIComponent("gid://shopify/Order/1001")}`);
    expect(init.method ?? "GET").toBe("GET");
    expect((init.headers as Record<string, string>).Authorization).toBe("Bearer session-token-jwt");
    expect(document.querySelector("s-heading")).toBeNull();
  });

  it("on the order status page, shows the survey when the app cannot be reached", async () => {
    queue("status", new TypeError("Failed to fetch"));
    await mount({}, renderOrderStatus);
    await settle();
    expect(heading()).toBe("How did you hear about us?");
  });

  it("treats a 409 from the server as already answered and remembers it", async () => {
    // The steps before the last are saved (201); the last one meets a 409.
    queue("answer", new Response("{}", { status: 201 }), new Response("{}", { status: 201 }), new Response("{}", { status: 201 }), new Response("{}", { status: 409 }));
    const { storage } = await mount({}, renderOrderStatus);
    await settle();
    await choose("attribution", "friend");
    for (const next of ["Next", "Next", "Next"]) await click(next);
    await click("Send");
    await vi.waitFor(() => expect(body()).toContain("you have already answered"));
    expect(requests("answer")).toHaveLength(4);
    expect(last().url).toBe(`${APP}/api/checkout/survey?surface=order-status`);
    expect(last().body).toEqual({ orderId: "gid://shopify/Order/1001", locale: "en", answers: { attribution: { optionId: "friend" } }, reached: ["attribution", "nps", "csat", "comment"] });
    expect(storage.get("answered:1001")).toBeTruthy();
  });

  it("speaks French: built-ins in French, merchant French text wins, a question left empty in French is the built-in French one", async () => {
    const config = structuredClone(DEFAULT_SURVEY_CONFIG) as SurveyConfig;
    config.questions.nps.text = { en: "Would you recommend {{shop}}?", fr: "Recommanderiez-vous {{shop}} ?" };
    config.questions.csat.text = { en: "Happy with your order?" };
    config.extras.returnPolicySummary = { en: "Free returns within 30 days", fr: "Retours gratuits sous 30 jours" };
    await mount({ language: "fr-CA", surveyConfig: config, loyalty: { tier: "Or", tierSlug: "gold", points: 120 } });
    await settle();
    expect(heading()).toBe("Comment nous avez-vous connus ?");
    expect(body()).toContain("Moteur de recherche");
    expect(body()).toContain("Retours gratuits sous 30 jours");
    expect(body()).toContain("Votre niveau de fidélité : Or · 120 points");
    expect(button("Suivant")).toBeTruthy();
    await click("Suivant");
    await vi.waitFor(() => expect(heading()).toBe("Recommanderiez-vous Maple & Co ?"));
    expect(body()).toContain("Pas du tout probable");
    await click("Suivant");
    // The merchant reworded CSAT in English only: a French shopper gets the built-in French question, not the
    // English wording with French buttons (issue 23's fallback rule).
    await vi.waitFor(() => expect(heading()).toBe("Dans quelle mesure êtes-vous satisfait de votre achat ?"));
  });

  it("falls back to the default survey when the config metafield is missing or broken", async () => {
    await mount({ surveyConfig: "not json at all{" });
    await settle();
    expect(heading()).toBe("How did you hear about us?");
    expect(body()).toContain("Question 1 of 4");
    expect(body()).not.toContain("loyalty tier");
  });

  describe("custom questions (issue 23)", () => {
    const customOnly = (custom: SurveyConfig["custom"]) => {
      const config = structuredClone(DEFAULT_SURVEY_CONFIG) as SurveyConfig;
      for (const type of ["nps", "csat", "attribution", "comment"] as const) config.questions[type].enabled = false;
      config.custom = custom;
      return config;
    };
    const base = { options: [], shuffle: false, allowOther: false, allowNone: false };
    const colours = ["red", "orange", "yellow", "green", "blue", "indigo", "violet"].map((id) => ({ id, label: { en: id.toUpperCase(), fr: `${id}-fr` } }));
    const choiceValues = (name: string) => [...document.querySelectorAll(`s-choice-list[name="${name}"] s-choice`)].map((c) => c.getAttribute("value"));
    async function chooseMany(name: string, values: string[]) {
      const list = document.body.querySelector(`s-choice-list[name="${name}"]`)!;
      Object.assign(list, { values });
      list.dispatchEvent(new Event("change"));
      await Promise.resolve();
    }

    it("asks each new type and sends every answer under its question's id", async () => {
      // GIVEN one question of each new type
      const config = customOnly([
        { ...base, id: "q-colour", type: "single_choice", text: { en: "Favourite colour at {{shop}}?" }, options: colours.slice(0, 3), allowOther: true },
        { ...base, id: "q-extras", type: "multiple_choice", text: { en: "What else?" }, options: colours.slice(3, 5), allowNone: true },
        { ...base, id: "q-why", type: "short_text", text: { en: "Why us?" } },
        { ...base, id: "q-stars", type: "rating_1_5", text: { en: "The packaging?" } },
      ]);
      await mount({ surveyConfig: config });
      await settle();
      // single choice: the merchant's options, then the built-in Other; the merchant's wording fills {{shop}}
      expect(heading()).toBe("Favourite colour at Maple & Co?");
      expect(body()).toContain("Question 1 of 4");
      expect(choiceValues("q-colour")).toEqual(["red", "orange", "yellow", "other"]);
      expect(body()).toContain("ORANGE");
      await choose("q-colour", "other");
      await type("s-text-field", " teal ");
      await click("Next");
      // multiple choice: several options; None clears the others
      await vi.waitFor(() => expect(heading()).toBe("What else?"));
      expect(choiceValues("q-extras")).toEqual(["green", "blue", "none"]);
      expect(document.querySelector('s-choice-list[name="q-extras"]')?.getAttribute("multiple")).toBe("true");
      await chooseMany("q-extras", ["green", "blue"]);
      await chooseMany("q-extras", ["green", "blue", "none"]);
      await vi.waitFor(() => expect(document.querySelector('s-choice[value="none"]')?.getAttribute("selected")).toBe("true"));
      expect(document.querySelector('s-choice[value="green"]')?.getAttribute("selected")).not.toBe("true");
      await chooseMany("q-extras", ["none", "blue"]);
      await vi.waitFor(() => expect(document.querySelector('s-choice[value="blue"]')?.getAttribute("selected")).toBe("true"));
      expect(document.querySelector('s-choice[value="none"]')?.getAttribute("selected")).not.toBe("true");
      await click("Next");
      // short text: one line, its own label
      await vi.waitFor(() => expect(heading()).toBe("Why us?"));
      expect(document.querySelector("s-text-field")?.getAttribute("label")).toBe("Your answer (up to 300 characters)");
      await type("s-text-field", "Fast delivery");
      await click("Next");
      // rating: five points with their ends
      await vi.waitFor(() => expect(heading()).toBe("The packaging?"));
      expect(choiceValues("q-stars")).toEqual(["1", "2", "3", "4", "5"]);
      expect(body()).toContain("1 – Poor");
      expect(body()).toContain("5 – Excellent");
      await choose("q-stars", "4");
      await click("Send");

      // THEN the last step carries every custom answer keyed by question id
      await vi.waitFor(() => expect(body()).toContain("Thank you for your feedback!"));
      expect(requests("answer")).toHaveLength(4);
      expect(last().body).toEqual({
        orderId: ORDER,
        locale: "en",
        answers: { custom: { "q-colour": { optionId: "other", other: "teal" }, "q-extras": { optionIds: ["blue"] }, "q-why": "Fast delivery", "q-stars": 4 } },
        reached: ["q-colour", "q-extras", "q-why", "q-stars"],
      });
    });

    it("shuffles the options per order, the same on every reload, with Other and None pinned last", async () => {
      const config = customOnly([{ ...base, id: "q-colour", type: "multiple_choice", text: { en: "Colours?" }, options: colours, shuffle: true, allowOther: true, allowNone: true }]);
      const orderOf = async (orderId: string) => {
        await mount({ surveyConfig: config, orderId });
        await settle();
        const values = choiceValues("q-colour");
        render(null, document.body);
        return values;
      };
      const first = await orderOf("gid://shopify/OrderIdentity/1001");
      // a reload of the same order shows the same order
      expect(await orderOf("gid://shopify/OrderIdentity/1001")).toEqual(first);
      expect(first.slice(-2)).toEqual(["other", "none"]);
      expect([...first].sort()).toEqual([...colours.map((c) => c.id), "other", "none"].sort());
      // other orders see other orders of the options (seeded by the order id), still with Other and None last
      const seen = new Set([first.join(",")]);
      for (let n = 1002; n < 1010; n++) {
        const order = await orderOf(`gid://shopify/OrderIdentity/${n}`);
        expect(order.slice(-2)).toEqual(["other", "none"]);
        seen.add(order.join(","));
      }
      expect(seen.size).toBeGreaterThan(3);
    });

    it("a custom question left empty in French shows the merchant's default wording, its buttons and built-in choices in French", async () => {
      const config = customOnly([{ ...base, id: "q-colour", type: "single_choice", text: { en: "Favourite colour?" }, options: colours.slice(0, 2), allowNone: true }]);
      config.questions.nps.enabled = true;
      config.questions.nps.text = { en: "Would you recommend {{shop}}?" };
      await mount({ language: "fr", surveyConfig: config });
      await settle();
      // NPS reworded in English only: the French shopper gets the built-in French question
      expect(heading()).toBe("Quelle est la probabilité que vous recommandiez Maple & Co à un ami ?");
      await click("Suivant");
      // a custom question has no built-in wording: the merchant's default language, options in French where written
      await vi.waitFor(() => expect(heading()).toBe("Favourite colour?"));
      expect(body()).toContain("red-fr");
      expect(body()).toContain("Aucune de ces réponses");
    });

    it("holds a short text over 300 characters with an error naming the count, and sends nothing", async () => {
      const config = customOnly([{ ...base, id: "q-why", type: "short_text", text: { en: "Why us?" } }]);
      await mount({ surveyConfig: config });
      await settle();
      await type("s-text-field", "x".repeat(301));
      await vi.waitFor(() => expect(document.querySelector("s-text-field")?.getAttribute("error")).toBe("Please keep it to 300 characters (301 now)."));
      expect(button("Send").getAttribute("disabled")).toBe("true");
      expect(requests("answer")).toEqual([]);
    });
  });

  describe("branching (issue 23)", () => {
    const branching = () => {
      const config = structuredClone(DEFAULT_SURVEY_CONFIG) as SurveyConfig;
      for (const type of ["csat", "attribution", "comment"] as const) config.questions[type].enabled = false;
      config.custom = [
        { id: "q-wrong", type: "short_text", text: { en: "What went wrong?" }, options: [], shuffle: false, allowOther: false, allowNone: false, showIf: { question: "nps", min: 0, max: 6 } },
        { id: "q-stars", type: "rating_1_5", text: { en: "The packaging?" }, options: [], shuffle: false, allowOther: false, allowNone: false },
      ];
      return config;
    };

    it("asks a detractor what went wrong, counting the branch once it opens", async () => {
      await mount({ surveyConfig: branching() });
      await settle();
      expect(body()).toContain("Question 1 of 2");
      await choose("nps", "3");
      await vi.waitFor(() => expect(body()).toContain("Question 1 of 3"));
      await click("Next");
      await vi.waitFor(() => expect(heading()).toBe("What went wrong?"));
      expect(body()).toContain("Question 2 of 3");
      await type("s-text-field", "It came late");
      await click("Next");
      await vi.waitFor(() => expect(heading()).toBe("The packaging?"));
      await choose("q-stars", "2");
      await click("Send");
      await vi.waitFor(() => expect(body()).toContain("Thank you for your feedback!"));
      expect(requests("answer").map((r) => r.body)).toEqual([
        { orderId: ORDER, locale: "en", answers: { nps: 3 }, complete: false, reached: ["nps", "q-wrong"] },
        { orderId: ORDER, locale: "en", answers: { nps: 3, custom: { "q-wrong": "It came late" } }, complete: false, reached: ["nps", "q-wrong", "q-stars"] },
        { orderId: ORDER, locale: "en", answers: { nps: 3, custom: { "q-wrong": "It came late", "q-stars": 2 } }, reached: ["nps", "q-wrong", "q-stars"] },
      ]);
    });

    it("skips the branch for a promoter", async () => {
      await mount({ surveyConfig: branching() });
      await settle();
      await choose("nps", "9");
      await click("Next");
      await vi.waitFor(() => expect(heading()).toBe("The packaging?"));
      expect(body()).toContain("Question 2 of 2");
      await click("Send");
      await vi.waitFor(() => expect(body()).toContain("Thank you for your feedback!"));
      expect(last().body).toEqual({ orderId: ORDER, locale: "en", answers: { nps: 9 }, reached: ["nps", "q-stars"] });
    });
  });

  describe("NPS on a phone", () => {
    it("offers a compact 0–10 grid of buttons for narrow containers, radios for wide ones, both setting the same score", async () => {
      const config = structuredClone(DEFAULT_SURVEY_CONFIG) as SurveyConfig;
      for (const type of ["csat", "attribution", "comment"] as const) config.questions[type].enabled = false;
      await mount({ surveyConfig: config });
      await settle();
      const grid = document.querySelector("s-query-container s-grid");
      expect(grid).not.toBeNull();
      // six columns: 0–5 on the first row, 6–10 on the second
      expect(grid?.getAttribute("gridTemplateColumns")).toBe("repeat(6, 1fr)");
      const buttons = [...grid!.querySelectorAll("s-press-button")];
      expect(buttons.map((b) => b.textContent)).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]);
      expect(buttons[9]?.getAttribute("accessibilityLabel")).toBe("9 on a scale from 0 to 10");
      // the grid shows only below the breakpoint, the radios only above it
      const [wide, narrow] = [...document.querySelectorAll("s-query-container > s-box")];
      expect(wide?.getAttribute("display")).toBe("@container (inline-size > 480px) auto, none");
      expect(narrow?.getAttribute("display")).toBe("@container (inline-size > 480px) none, auto");
      expect(wide?.querySelector('s-choice-list[name="nps"]')).not.toBeNull();
      expect(narrow?.contains(grid!)).toBe(true);
      // WHEN the shopper taps 9 in the grid
      buttons[9]!.dispatchEvent(new Event("click"));
      await vi.waitFor(() => expect(grid!.querySelectorAll("s-press-button")[9]?.getAttribute("pressed")).toBe("true"));
      // THEN the radios agree, and the score is sent
      expect(document.querySelector('s-choice-list[name="nps"] s-choice[value="9"]')?.getAttribute("selected")).toBe("true");
      await click("Send");
      await vi.waitFor(() => expect(body()).toContain("Thank you for your feedback!"));
      expect(sent().body).toEqual({ orderId: ORDER, locale: "en", answers: { nps: 9 }, reached: ["nps"] });
    });

    it("keeps short scales as one row of radios", async () => {
      const config = structuredClone(DEFAULT_SURVEY_CONFIG) as SurveyConfig;
      for (const type of ["nps", "attribution", "comment"] as const) config.questions[type].enabled = false;
      await mount({ surveyConfig: config });
      await settle();
      expect(document.querySelector("s-query-container")).toBeNull();
      expect(document.querySelectorAll('s-choice-list[name="csat"] s-choice')).toHaveLength(5);
    });
  });
});

describe("targeting: each question asked only of its audience (decision 045)", () => {
  /** NPS for everyone, attribution for first orders, a question for returning customers, one for French shoppers of big orders. */
  const targeted = (): SurveyConfig => {
    const config = structuredClone(DEFAULT_SURVEY_CONFIG) as SurveyConfig;
    config.questions.csat.enabled = false;
    config.questions.comment.enabled = false;
    config.questions.attribution.audience = { customer: "first" };
    config.custom = [
      { id: "why-back", type: "short_text", text: { en: "What brought you back?", fr: "Pourquoi revenir ?" }, options: [], shuffle: false, allowOther: false, allowNone: false, audience: { customer: "returning" } },
      { id: "big", type: "rating_1_5", text: { en: "Big order?", fr: "Grosse commande ?" }, options: [], shuffle: false, allowOther: false, allowNone: false, audience: { locales: ["fr"], orderValue: { currency: "EUR", minMinor: 10000 } } },
    ];
    return config;
  };
  /** The headings of the questions shown, pressing the primary button (Next, then Send) until the survey is done. */
  const questionsShown = async () => {
    const shown: string[] = [];
    await vi.waitFor(() => expect(heading()).not.toBe(""));
    while (heading()) {
      const current = heading();
      shown.push(current);
      document.body.querySelector('s-button[variant="primary"]')!.dispatchEvent(new Event("click"));
      await vi.waitFor(() => expect(heading()).not.toBe(current));
    }
    return shown;
  };

  it("asks the app about the customer once, and shows nothing (not even 'seen') until it answers", async () => {
    let answer!: (r: Response) => void;
    fetchMock.mockImplementationOnce(async (url: string, init?: RequestInit) => {
      expect(kindOf(url, init)).toBe("audience");
      return new Promise<Response>((resolve) => (answer = resolve));
    });
    await mount({ surveyConfig: targeted() });
    await vi.waitFor(() => expect(requests("audience")).toHaveLength(1));
    expect(requests("audience")[0]).toEqual({ url: `${APP}/api/checkout/survey/audience`, headers: { "Content-Type": "application/json", Authorization: "Bearer session-token-jwt" }, body: { orderId: ORDER } });
    await new Promise((r) => setTimeout(r, 20));
    expect(body()).toBe("");
    expect(requests("seen")).toEqual([]);
    answer(new Response(JSON.stringify({ firstOrder: false, known: true }), { status: 200 }));
    await vi.waitFor(() => expect(heading()).toBe("How likely are you to recommend Maple & Co to a friend?"));
    expect(body()).toContain("Question 1 of 2");
    await vi.waitFor(() => expect(requests("seen")).toHaveLength(1));
    expect(requests("audience")).toHaveLength(1);
  });

  it("a returning customer is asked what brought them back, not how they heard of the shop", async () => {
    queue("audience", new Response(JSON.stringify({ firstOrder: false, known: true }), { status: 200 }));
    await mount({ surveyConfig: targeted() });
    expect(await questionsShown()).toEqual(["How likely are you to recommend Maple & Co to a friend?", "What brought you back?"]);
  });

  it("a first order is asked how they heard of the shop", async () => {
    await mount({ surveyConfig: targeted() });
    expect(await questionsShown()).toEqual(["How did you hear about us?", "How likely are you to recommend Maple & Co to a friend?"]);
  });

  it("when the app cannot be reached, the order counts as a first order (a guest's rule)", async () => {
    queue("audience", new Error("offline"));
    await mount({ surveyConfig: targeted() });
    expect(await questionsShown()).toEqual(["How did you hear about us?", "How likely are you to recommend Maple & Co to a friend?"]);
  });

  it("order value and language come from the page: a French shopper's order of 100.00 EUR or more gets the extra question", async () => {
    await mount({ surveyConfig: targeted(), language: "fr", total: { amount: 100, currencyCode: "EUR" } });
    expect(await questionsShown()).toEqual(["Comment nous avez-vous connus ?", "Quelle est la probabilité que vous recommandiez Maple & Co à un ami ?", "Grosse commande ?"]);
  });

  it.each([
    ["99.99 EUR", { language: "fr", total: { amount: 99.99, currencyCode: "EUR" } }],
    ["100.00 in another currency", { language: "fr", total: { amount: 100, currencyCode: "CHF" } }],
    ["a German shopper", { language: "de", total: { amount: 500, currencyCode: "EUR" } }],
  ])("leaves the extra question out for %s", async (_name, options) => {
    await mount({ surveyConfig: targeted(), ...options });
    expect(await questionsShown()).toHaveLength(2);
  });

  it("asks nothing of the app when no question is targeted by first order or returning customer", async () => {
    const config = targeted();
    delete config.questions.attribution.audience;
    config.custom = config.custom.slice(1);
    await mount({ surveyConfig: config });
    expect(await questionsShown()).toEqual(["How did you hear about us?", "How likely are you to recommend Maple & Co to a friend?"]);
    expect(requests("audience")).toEqual([]);
  });

  it("shows nothing and reports nothing seen when no question is for this shopper", async () => {
    const config = targeted();
    config.questions.nps.audience = { customer: "returning" };
    config.questions.attribution.audience = { customer: "returning" };
    config.custom = [];
    queue("audience", new Response(JSON.stringify({ firstOrder: true, known: false }), { status: 200 }));
    await mount({ surveyConfig: config });
    await vi.waitFor(() => expect(requests("audience")).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 20));
    expect(body()).toBe("");
    expect(requests("seen")).toEqual([]);
  });
});
