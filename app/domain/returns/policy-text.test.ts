import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_RETURN_POLICY, RETURN_LOCALES, WINDOW_STARTS, type ReturnLocale, type ReturnPolicy } from "./policy";
import { policyPlainText } from "../../../tests/support/policy-text";
import { MAX_SUMMARY_LENGTH, policyDocument, policyHtml, policySummaries, policySummary } from "./policy-text";

const policy = (overrides: Partial<ReturnPolicy> = {}): ReturnPolicy => ({ ...DEFAULT_RETURN_POLICY, ...overrides });
/** Intl puts no-break spaces in amounts and percentages; tests read them as spaces. */
const spaces = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");
const plain = (p: ReturnPolicy, locale: ReturnLocale, currency = "USD") => spaces(policyPlainText(policyDocument(p, { locale, currency })));
const summary = (p: ReturnPolicy, locale: ReturnLocale, currency = "USD") => spaces(policySummary(p, { locale, currency }));

const VARIANTS: [string, ReturnPolicy][] = [
  ["default", DEFAULT_RETURN_POLICY],
  ["final sale only", policy({ windowDays: 0 })],
  ["unlimited, free", policy({ windowDays: null, shipping: { kind: "free" } })],
  ["unlimited, flat fee", policy({ windowDays: null, shipping: { kind: "flat", feeMinor: 500 } })],
  ["1 day from the order, flat fee", policy({ windowDays: 1, windowStart: "order", shipping: { kind: "flat", feeMinor: 500 } })],
  ["2 days from fulfillment", policy({ windowDays: 2, windowStart: "fulfillment" })],
  ["365 days, free", policy({ windowDays: 365, shipping: { kind: "free" } })],
  ["restocking fee", policy({ restockingFeePercent: 15 })],
  ["store credit with bonus", policy({ storeCredit: { offered: true, bonusPercent: 10 } })],
  ["store credit, no bonus", policy({ storeCredit: { offered: true, bonusPercent: 0 } })],
  ["no exchanges", policy({ exchanges: false })],
  ["final-sale tags", policy({ finalSaleTags: ["final-sale", "Clearance"] })],
  ["no conditions", policy({ conditions: { unused: false, originalPackaging: false, tagsAttached: false } })],
  ["all conditions", policy({ conditions: { unused: true, originalPackaging: true, tagsAttached: true } })],
  [
    "everything",
    policy({
      windowDays: 14,
      windowStart: "fulfillment",
      shipping: { kind: "flat", feeMinor: 750 },
      restockingFeePercent: 20,
      exchanges: false,
      storeCredit: { offered: true, bonusPercent: 5 },
      finalSaleTags: ["final-sale"],
      conditions: { unused: true, originalPackaging: true, tagsAttached: true },
    }),
  ],
];

/** Words of the English text that must not show up in another language's policy. */
const ENGLISH = /\b(the|and|you|your|return|returns|returned|refund|refunds|day|days|within|shipping|exchange|exchanges|store|credit|items?|fee|final sale|sale|policy|free)\b/i;
/** A word of each language that every policy of more than 0 days uses. */
const NATIVE: Record<ReturnLocale, RegExp> = { en: /\breturn/, fr: /\bretour/, de: /Rück/, es: /devoluci/, "zh-CN": /退货/ };

describe("policyDocument: every language, every variant", () => {
  for (const locale of RETURN_LOCALES) {
    it.each(VARIANTS)(`${locale}: %s`, (_label, p) => {
      const doc = policyDocument(p, { locale, currency: "EUR" });
      expect(doc.title.length).toBeGreaterThan(0);
      expect(doc.sections.length).toBeGreaterThan(0);
      for (const section of doc.sections) {
        expect(section.heading.trim()).not.toBe("");
        expect(section.paragraphs.length).toBeGreaterThan(0);
        for (const text of [...section.paragraphs, ...(section.bullets ?? [])]) {
          expect(text.trim()).toBe(text);
          expect(text).not.toMatch(/undefined|null|NaN|\$\{|#| {2}/);
        }
      }
      const text = policyPlainText(doc);
      if (locale !== "en") {
        expect(text).not.toMatch(ENGLISH);
        expect(policySummary(p, { locale, currency: "EUR" })).not.toMatch(ENGLISH);
      }
      expect(text).toMatch(p.windowDays === 0 && locale === "en" ? /final/ : NATIVE[locale]);
      // Raw tag names are never shown: the text speaks of items marked final sale.
      for (const tag of p.finalSaleTags) expect(text).not.toContain(tag);
    });
  }
});

describe("policyDocument: what each setting says (English)", () => {
  it("the default policy, in full", () => {
    expect(plain(DEFAULT_RETURN_POLICY, "en")).toBe(
      [
        "Return and refund policy",
        "Returns",
        "You can return items within 30 days of delivery. Your last day to start a return is the 30th day after the delivery date, until midnight (store time).",
        "This policy does not affect your statutory rights.",
        "Condition of returned items",
        "To be accepted, returned items must:\n- be unused and in the condition you received them\n- have all their tags still attached",
        "How to start a return",
        "To start a return, contact us with your order number and the items you would like to return. We will reply with instructions and the return address.",
        "Please do not send anything back before we have confirmed your return.",
        "Return shipping",
        "You pay for return shipping. We recommend a tracked shipping service.",
        "Refunds",
        "Once we have received and checked your return, we refund the amount to your original payment method. Your bank or card provider may take a few days to show the refund.",
        "Exchanges",
        "Instead of a refund, you can exchange an item for a different size or another product.",
      ].join("\n\n"),
    );
  });

  it("final sale only: no returns, nothing about shipping, fees or exchanges", () => {
    const doc = policyDocument(policy({ windowDays: 0, restockingFeePercent: 10, shipping: { kind: "free" } }), { locale: "en", currency: "USD" });
    expect(doc.sections).toEqual([
      { heading: "Returns", paragraphs: ["All sales are final: we do not accept returns or exchanges.", "This policy does not affect your statutory rights."] },
    ]);
  });

  it.each<[string, Partial<ReturnPolicy>, string[], string[]]>([
    ["no time limit", { windowDays: null }, ["You can return items at any time: there is no time limit."], ["last day"]],
    ["window from the order", { windowDays: 14, windowStart: "order" }, ["within 14 days of placing your order", "the 14th day after the order date"], []],
    ["window from fulfillment", { windowDays: 7, windowStart: "fulfillment" }, ["within 7 days of the day we ship your order", "the 7th day after the shipping date"], []],
    ["free shipping", { shipping: { kind: "free" } }, ["Return shipping is free"], ["You pay for return shipping"]],
    ["a flat fee of 0 reads as free", { shipping: { kind: "flat", feeMinor: 0 } }, ["Return shipping is free"], ["flat"]],
    ["flat fee", { shipping: { kind: "flat", feeMinor: 595 } }, ["A flat return shipping fee of $5.95 per return is deducted from your refund."], []],
    ["restocking fee", { restockingFeePercent: 15 }, ["A restocking fee of 15% of the price of each returned item"], []],
    ["store credit with a bonus", { storeCredit: { offered: true, bonusPercent: 10 } }, ["you can choose store credit", "you receive 10% more"], []],
    ["a bonus without store credit says nothing", { storeCredit: { offered: false, bonusPercent: 10 } }, [], ["store credit", "10%"]],
    ["no exchanges", { exchanges: false }, ["We do not offer exchanges."], ["you can exchange"]],
    ["final-sale tags", { finalSaleTags: ["fs"] }, ["Items marked as final sale cannot be returned or exchanged."], []],
    ["no conditions", { conditions: { unused: false, originalPackaging: false, tagsAttached: false } }, ["There are no special requirements"], ["must:"]],
    ["original packaging", { conditions: { unused: false, originalPackaging: true, tagsAttached: false } }, ["must:\n- be in their original packaging\n\nHow"], []],
  ])("%s", (_label, overrides, present, absent) => {
    const text = plain(policy(overrides), "en");
    for (const fragment of present) expect(text).toContain(fragment);
    for (const fragment of absent) expect(text).not.toContain(fragment);
  });

  it("shows the merchant's note verbatim in every language, split into paragraphs on blank lines", () => {
    const note = "Sale items: ask first.\nThanks!\n\n\nMerci — 谢谢";
    for (const locale of RETURN_LOCALES) {
      const last = policyDocument(policy({ note }), { locale, currency: "USD" }).sections.at(-1);
      expect(last?.paragraphs).toEqual(["Sale items: ask first.\nThanks!", "Merci — 谢谢"]);
    }
    expect(policyDocument(policy({ windowDays: 0, note: "Gift cards excepted." }), { locale: "de", currency: "EUR" }).sections).toHaveLength(2);
  });
});

describe("day counts: plural and ordinal boundaries", () => {
  it.each<[ReturnLocale, number, string, string]>([
    ["en", 1, "within 1 day of delivery", "is the day after the delivery date"],
    ["en", 2, "within 2 days of delivery", "is the 2nd day after"],
    ["en", 3, "within 3 days of delivery", "is the 3rd day after"],
    ["en", 11, "within 11 days", "is the 11th day after"],
    ["en", 21, "within 21 days", "is the 21st day after"],
    ["en", 30, "within 30 days", "is the 30th day after"],
    ["en", 365, "within 365 days", "is the 365th day after"],
    ["fr", 1, "Vous disposez de 1 jour à compter de la livraison", "est le lendemain de la date de livraison"],
    ["fr", 2, "Vous disposez de 2 jours", "est le 2e jour suivant la date de livraison"],
    ["fr", 365, "Vous disposez de 365 jours", "est le 365e jour suivant"],
    ["de", 1, "innerhalb von 1 Tag nach der Zustellung", "bis zum Ende des Tages nach dem Zustelldatum"],
    ["de", 2, "innerhalb von 2 Tagen nach der Zustellung", "bis zum Ende des 2. Tages nach dem Zustelldatum"],
    ["de", 30, "innerhalb von 30 Tagen", "des 30. Tages"],
    ["es", 1, "en un plazo de 1 día desde la entrega", "es el día siguiente a la fecha de entrega"],
    ["es", 2, "en un plazo de 2 días", "es el día 2 posterior a la fecha de entrega"],
    ["zh-CN", 1, "您可在送达后 1 天内申请退货。", "是送达日期的次日"],
    ["zh-CN", 30, "您可在送达后 30 天内申请退货。", "是送达日期后的第 30 天"],
  ])("%s, %i days", (locale, days, within, lastDay) => {
    const text = plain(policy({ windowDays: days }), locale);
    expect(text).toContain(within);
    expect(text).toContain(lastDay);
  });

  it.each<[ReturnLocale, number | null, string]>([
    ["en", 0, "All sales are final"],
    ["en", 1, "Returns within 1 day of delivery"],
    ["en", 2, "Returns within 2 days of delivery"],
    ["en", 30, "Returns within 30 days of delivery"],
    ["en", 365, "Returns within 365 days of delivery"],
    ["en", null, "Returns accepted, no time limit"],
    ["fr", 0, "Toutes les ventes sont définitives"],
    ["fr", 1, "Retours sous 1 jour à compter de la livraison"],
    ["fr", 2, "Retours sous 2 jours à compter de la livraison"],
    ["fr", null, "Retours acceptés, sans limite de temps"],
    ["de", 0, "Umtausch und Rückgabe ausgeschlossen"],
    ["de", 1, "Rückgabe innerhalb von 1 Tag nach Zustellung"],
    ["de", 30, "Rückgabe innerhalb von 30 Tagen nach Zustellung"],
    ["de", null, "Rückgabe jederzeit möglich"],
    ["es", 0, "Todas las ventas son definitivas"],
    ["es", 1, "Devoluciones hasta 1 día después de la entrega"],
    ["es", 365, "Devoluciones hasta 365 días después de la entrega"],
    ["es", null, "Devoluciones sin límite de tiempo"],
    ["zh-CN", 0, "所有商品一经售出，概不退换"],
    ["zh-CN", 1, "送达后 1 天内可退货"],
    ["zh-CN", null, "随时可退货，无时间限制"],
  ])("summary %s, %s days", (locale, days, expected) => {
    expect(summary(policy({ windowDays: days }), locale)).toBe(expected);
  });
});

describe("policySummary", () => {
  it.each<[string, Partial<ReturnPolicy>, string]>([
    ["free, 30 days from delivery", { shipping: { kind: "free" } }, "Free returns within 30 days of delivery"],
    ["flat fee, 14 days from purchase", { windowDays: 14, windowStart: "order", shipping: { kind: "flat", feeMinor: 500 } }, "Returns within 14 days of purchase · $5.00 return shipping"],
    ["from shipment", { windowStart: "fulfillment" }, "Returns within 30 days of shipment"],
    ["final sale", { windowDays: 0, shipping: { kind: "free" } }, "All sales are final"],
    ["free, no time limit", { windowDays: null, shipping: { kind: "free" } }, "Free returns, no time limit"],
    ["flat fee 0 is free", { shipping: { kind: "flat", feeMinor: 0 } }, "Free returns within 30 days of delivery"],
    ["a restocking fee: not free", { shipping: { kind: "free" }, restockingFeePercent: 15 }, "Returns within 30 days of delivery · 15% restocking fee"],
    [
      "flat fee and restocking fee",
      { windowDays: null, shipping: { kind: "flat", feeMinor: 1250 }, restockingFeePercent: 5 },
      "Returns accepted, no time limit · $12.50 return shipping · 5% restocking fee",
    ],
  ])("en: %s", (_label, overrides, expected) => {
    expect(summary(policy(overrides), "en")).toBe(expected);
  });

  it.each<[ReturnLocale, string]>([
    ["en", "Returns within 14 days of purchase · $5.00 return shipping · 10% restocking fee"],
    ["fr", "Retours sous 14 jours à compter de l'achat · 5,00 $US de frais de retour · 10 % de frais de remise en stock"],
    ["de", "Rückgabe innerhalb von 14 Tagen nach Kauf · 5,00 $ Rücksendekosten · 10 % Wiedereinlagerungsgebühr"],
    ["es", "Devoluciones hasta 14 días después de la compra · envío de la devolución: 5,00 US$ · tarifa de reposición del 10 %"],
    ["zh-CN", "购买后 14 天内可退货 · 退货运费 US$5.00 · 重新入库费 10%"],
  ])("%s: window, fee and restocking fee in one line", (locale, expected) => {
    const p = policy({ windowDays: 14, windowStart: "order", shipping: { kind: "flat", feeMinor: 500 }, restockingFeePercent: 10 });
    expect(summary(p, locale)).toBe(expected);
  });

  it("policySummaries gives the summary in every language", () => {
    const p = policy({ shipping: { kind: "free" } });
    const all = policySummaries(p, "EUR");
    expect(Object.keys(all).sort()).toEqual([...RETURN_LOCALES].sort());
    for (const locale of RETURN_LOCALES) expect(all[locale]).toBe(policySummary(p, { locale, currency: "EUR" }));
    expect(all.fr).toBe("Retours gratuits sous 30 jours à compter de la livraison");
    expect(all["zh-CN"]).toBe("送达后 30 天内免费退货");
  });

  it(`is at most ${MAX_SUMMARY_LENGTH} characters in every language, for any policy and currency`, () => {
    const anyPolicy = fc.record({
      windowDays: fc.oneof(fc.integer({ min: 0, max: 365 }), fc.constant(null)),
      windowStart: fc.constantFrom(...WINDOW_STARTS),
      shipping: fc.oneof(
        fc.constant({ kind: "free" as const }),
        fc.constant({ kind: "customer" as const }),
        fc.integer({ min: 0, max: 100_000_000 }).map((feeMinor) => ({ kind: "flat" as const, feeMinor })),
      ),
      restockingFeePercent: fc.integer({ min: 0, max: 100 }),
      exchanges: fc.boolean(),
      storeCredit: fc.record({ offered: fc.boolean(), bonusPercent: fc.integer({ min: 0, max: 100 }) }),
      finalSaleTags: fc.array(fc.string({ minLength: 1, maxLength: 40 }), { maxLength: 20 }),
      conditions: fc.record({ unused: fc.boolean(), originalPackaging: fc.boolean(), tagsAttached: fc.boolean() }),
      note: fc.string({ maxLength: 1000 }),
      publishLocale: fc.constantFrom(...RETURN_LOCALES),
    });
    const currency = fc.oneof(fc.constantFrom("USD", "EUR", "JPY", "KWD", "CAD", "CHF", "IDR", "VND", "CNY"), fc.stringMatching(/^[A-Z]{3}$/));
    fc.assert(
      fc.property(anyPolicy, currency, (p, code) => {
        for (const [locale, line] of Object.entries(policySummaries(p, code))) {
          expect(line.length, `${locale}: ${line}`).toBeLessThanOrEqual(MAX_SUMMARY_LENGTH);
          expect(line).not.toMatch(/\n/);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("currency formatting", () => {
  it.each<[ReturnLocale, string, number, string]>([
    ["en", "USD", 500, "A flat return shipping fee of $5.00 per return"],
    ["en", "EUR", 1999, "fee of €19.99 per return"],
    ["en", "JPY", 500, "fee of ¥500 per return"],
    ["en", "KWD", 1250, "fee of KWD 1.250 per return"],
    ["fr", "EUR", 500, "forfaitaires de 5,00 € par retour"],
    ["fr", "USD", 500, "forfaitaires de 5,00 $US par retour"],
    ["de", "EUR", 123456, "pauschal 1.234,56 €;"],
    ["de", "JPY", 1500, "pauschal 1.500 ¥;"],
    ["es", "EUR", 500, "tarifa fija de envío de 5,00 €."],
    ["zh-CN", "JPY", 500, "每次退货收取 JP¥500 的固定退货运费"],
    ["zh-CN", "USD", 500, "每次退货收取 US$5.00 的固定退货运费"],
  ])("%s %s %i minor units", (locale, currency, feeMinor, expected) => {
    expect(plain(policy({ shipping: { kind: "flat", feeMinor } }), locale, currency)).toContain(expected);
  });

  it("accepts a lower-case code and refuses something that is not a currency code", () => {
    expect(summary(policy({ shipping: { kind: "flat", feeMinor: 500 } }), "en", "usd")).toContain("$5.00");
    expect(() => policyDocument(DEFAULT_RETURN_POLICY, { locale: "en", currency: "US" })).toThrow(RangeError);
    expect(() => policySummary(DEFAULT_RETURN_POLICY, { locale: "en", currency: "<b>" })).toThrow(RangeError);
  });

  it("percentages follow the language's typography", () => {
    const p = policy({ restockingFeePercent: 15 });
    expect(plain(p, "en")).toContain("A restocking fee of 15% of");
    expect(plain(p, "fr")).toContain("remise en stock de 15 % du prix");
    expect(plain(p, "de")).toContain("ziehen wir 15 % des Preises");
    expect(plain(p, "zh-CN")).toContain("价格 15% 的重新入库费");
  });
});

describe("policyHtml", () => {
  const ALLOWED_TAGS = new Set(["h2", "p", "ul", "li", "br"]);

  it("escapes the merchant's note: script, ampersands and quotes become text", () => {
    const note = `<script>alert("x")</script> & 'quotes' "double"\nline 2 <img src=x onerror=alert(1)>`;
    const html = policyHtml(policyDocument(policy({ note }), { locale: "en", currency: "USD" }));
    expect(html).toContain(
      "<h2>More information</h2>\n<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39; &quot;double&quot;<br>line 2 &lt;img src=x onerror=alert(1)&gt;</p>",
    );
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    for (const [, tag] of html.matchAll(/<\/?([a-zA-Z0-9]+)/g)) expect(ALLOWED_TAGS.has(tag!)).toBe(true);
  });

  it("is headings, paragraphs and lists, without the title (Shopify shows its own)", () => {
    const html = policyHtml(policyDocument(DEFAULT_RETURN_POLICY, { locale: "fr", currency: "EUR" }));
    expect(html.split("\n").slice(0, 3)).toEqual([
      "<h2>Retours</h2>",
      "<p>Vous disposez de 30 jours à compter de la livraison pour nous retourner un article. Le dernier jour pour demander un retour est le 30e jour suivant la date de livraison, jusqu&#39;à minuit (heure de la boutique).</p>",
      "<p>Cette politique ne porte pas atteinte à vos droits légaux.</p>",
    ]);
    expect(html).toContain("<ul><li>être inutilisés et dans l&#39;état où vous les avez reçus</li><li>avoir encore toutes leurs étiquettes</li></ul>");
    expect(html).not.toContain("Politique de retour et de remboursement");
  });

  it("every language and variant gives only the allowed tags, with balanced h2 / p / ul / li", () => {
    for (const locale of RETURN_LOCALES) {
      for (const [, p] of VARIANTS) {
        const html = policyHtml(policyDocument({ ...p, note: "<b>x</b> & y" }, { locale, currency: "EUR" }));
        for (const [, tag] of html.matchAll(/<\/?([a-zA-Z0-9]+)/g)) expect(ALLOWED_TAGS.has(tag!)).toBe(true);
        for (const tag of ["h2", "p", "ul", "li"]) expect(html.split(`<${tag}>`).length).toBe(html.split(`</${tag}>`).length);
      }
    }
  });
});

describe("policySummary at its length limit", () => {
  it("keeps an extra that brings the line to exactly MAX_SUMMARY_LENGTH characters", () => {
    const p = { ...DEFAULT_RETURN_POLICY, windowDays: 365, windowStart: "fulfillment" as const, shipping: { kind: "flat" as const, feeMinor: 99_999_999 }, restockingFeePercent: 100 };
    const line = policySummary(p, { locale: "fr", currency: "USD" });
    expect(line).toHaveLength(MAX_SUMMARY_LENGTH);
    expect(spaces(line)).toBe("Retours sous 365 jours à compter de l'expédition · 999 999,99 $US de frais de retour · 100 % de frais de remise en stock");
  });

  it("names the refused currency code", () => {
    expect(() => policySummary(DEFAULT_RETURN_POLICY, { locale: "en", currency: "US" })).toThrow(new RangeError('Not an ISO 4217 currency code: "US"'));
  });
});
