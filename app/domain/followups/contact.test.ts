import { describe, expect, it } from "vitest";
import { adminOrderUrl, contactLocale, contactSubject, isOverdue, mailtoLink, overdueAt, parseResponseTarget } from "./contact";

describe("the e-mail subject's language, contactLocale", () => {
  it.each([
    ["the shop's language wins over the customer's", "de", "fr-CA", "de"],
    ["a regional shop locale uses its language", "fr-CA", "en", "fr"],
    ["Chinese of any region is simplified Chinese", "zh-TW", "de", "zh-CN"],
    ["an unknown shop language: the customer's", null, "es-MX", "es"],
    ["an empty shop language: the customer's", "", "fr", "fr"],
    ["a shop language without strings: the customer's", "it", "de", "de"],
    ["neither known: English", null, null, "en"],
    ["neither has strings: English", "ja", "pt-BR", "en"],
  ])("%s", (_label, shopLocale, answerLocale, expected) => {
    expect(contactLocale(shopLocale, answerLocale)).toBe(expected);
  });
});

describe("the prefilled subject, contactSubject", () => {
  it.each([
    ["en", "About your order #1001"],
    ["fr", "À propos de votre commande #1001"],
    ["de", "Zu Ihrer Bestellung #1001"],
    ["es", "Sobre tu pedido #1001"],
    ["zh-CN", "关于您的订单 #1001"],
  ] as const)("%s", (locale, subject) => {
    expect(contactSubject(locale, "#1001")).toBe(subject);
  });
});

describe("the e-mail link, mailtoLink", () => {
  it("percent-encodes the address and the subject, so nothing in them adds a header", () => {
    expect(mailtoLink("ana.o'neil+vip@example.com", "About your order #1001 & more?cc=x")).toBe(
      "mailto:ana.o'neil%2Bvip@example.com?subject=About%20your%20order%20%231001%20%26%20more%3Fcc%3Dx",
    );
    expect(mailtoLink("zoë@exämple.de", "À propos")).toBe("mailto:zo%C3%AB@ex%C3%A4mple.de?subject=%C3%80%20propos");
  });

  it("has no link without a usable address: none, empty, two @, none, spaces or header characters", () => {
    for (const email of [null, undefined, "", "ana", "ana@", "@example.com", "ana@b@example.com", "ana @example.com", "ana@example.com\n", "a<b>@example.com", "a,b@example.com", 'a"b@example.com', "a;b@example.com", "a:b@example.com", "a\\b@example.com", "a(b)@example.com"]) {
      expect(mailtoLink(email, "Hi"), String(email)).toBeNull();
    }
  });

  it("takes a local part up to 64 characters and a domain up to 255, not one more", () => {
    const local = "a".repeat(64);
    const domain = `${"d".repeat(251)}.com`;
    expect(mailtoLink(`${local}@${domain}`, "s")).toBe(`mailto:${local}@${domain}?subject=s`);
    expect(mailtoLink(`${local}a@${domain}`, "s")).toBeNull();
    expect(mailtoLink(`${local}@d${domain}`, "s")).toBeNull();
  });
});

describe("the order in the admin, adminOrderUrl", () => {
  it("is the admin's own link for Shopify's numeric ids, up to 20 digits", () => {
    expect(adminOrderUrl("450789469")).toBe("shopify://admin/orders/450789469");
    expect(adminOrderUrl("18446744073709551615")).toBe("shopify://admin/orders/18446744073709551615");
  });

  it("is null for anything else", () => {
    for (const id of ["", "123456789012345678901", "gid://shopify/Order/1", "12a", " 12", "12 ", "-1", "1/../../settings"]) {
      expect(adminOrderUrl(id), id).toBeNull();
    }
  });
});

describe("the response-time target, parseResponseTarget", () => {
  const refused = { ok: false, error: "Enter whole hours from 1 to 720" };

  it("reads whole hours from 1 to 720, trimmed", () => {
    expect(parseResponseTarget("1")).toEqual({ ok: true, hours: 1 });
    expect(parseResponseTarget(" 24 ")).toEqual({ ok: true, hours: 24 });
    expect(parseResponseTarget("720")).toEqual({ ok: true, hours: 720 });
    expect(parseResponseTarget("0720")).toEqual({ ok: true, hours: 720 });
  });

  it("refuses 0, 721, fractions, signs, words, five digits and what is not text", () => {
    for (const value of ["0", "721", "9999", "1.5", "-1", "+2", "2h", "", "   ", "00001", 24, null, undefined, ["24"]]) {
      expect(parseResponseTarget(value), JSON.stringify(value)).toEqual(refused);
    }
  });
});

describe("overdue follow-ups, overdueAt and isOverdue", () => {
  const opened = new Date("2026-12-01T10:00:00.000Z");

  it("is overdue from exactly the target's hours after the answer, in absolute time", () => {
    expect(overdueAt(opened, 24)).toEqual(new Date("2026-12-02T10:00:00.000Z"));
    expect(overdueAt(opened, 1)).toEqual(new Date("2026-12-01T11:00:00.000Z"));
    expect(isOverdue("open", opened, 24, new Date("2026-12-02T09:59:59.999Z"))).toBe(false);
    expect(isOverdue("open", opened, 24, new Date("2026-12-02T10:00:00.000Z"))).toBe(true);
    expect(isOverdue("open", opened, 24, new Date("2026-12-03T00:00:00.000Z"))).toBe(true);
  });

  it("is never overdue once the customer was contacted or the follow-up resolved", () => {
    const late = new Date("2026-12-31T00:00:00.000Z");
    expect(isOverdue("contacted", opened, 24, late)).toBe(false);
    expect(isOverdue("resolved", opened, 24, late)).toBe(false);
  });
});
