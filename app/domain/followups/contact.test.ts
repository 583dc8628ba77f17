import { describe, expect, it } from "vitest";
import { contactLocale, contactSubject } from "./contact";

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
