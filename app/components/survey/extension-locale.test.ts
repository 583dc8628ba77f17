import { describe, expect, it } from "vitest";
import { extensionTranslator } from "./extension-locale";

describe("extensionTranslator (the preview reads the extension's own locale files)", () => {
  it.each<[string, string, Record<string, string | number> | undefined, string]>([
    ["en", "nps.question", undefined, "How likely are you to recommend Maple & Co to a friend?"],
    ["fr-CA", "nps.question", undefined, "Quelle est la probabilité que vous recommandiez Maple & Co à un ami ?"],
    ["zh-TW", "actions.next", undefined, "下一题"],
    ["pt-BR", "actions.next", undefined, "Next"], // a language the extension does not ship: English
    ["de", "scale.choice", { value: 9, min: 0, max: 10 }, "9 auf einer Skala von 0 bis 10"],
    ["en", "progress", { current: 2 }, "Question 2 of {{total}}"], // a placeholder not given stays as written
    ["en", "no.such.key", undefined, "no.such.key"],
    ["en", "nps", undefined, "nps"], // a table, not a string
  ])("%s %s", (locale, key, options, text) => {
    expect(extensionTranslator(locale, "Maple & Co")(key, options)).toBe(text);
  });
});
