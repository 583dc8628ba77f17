import { describe, expect, it } from "vitest";
import { DEFAULT_RETURN_POLICY } from "./policy";
import { policyDocument, policyHtml } from "./policy-text";
import { policyBodyText, sameRefundPolicy } from "./published-text";

const ours = policyHtml(policyDocument({ ...DEFAULT_RETURN_POLICY, note: `Tom's "gift" <returns> & more\nline two` }, { locale: "en", currency: "USD" }));

describe("comparing Shopify's refund policy with what Afterglow published", () => {
  it("reduces HTML to its words: tags dropped, entities decoded once, whitespace collapsed", () => {
    expect(policyBodyText("<h2>Returns</h2>\n<p>Within&nbsp;30 days &amp; free.<br/>Really &lt;b&gt;</p>")).toBe("Returns Within 30 days & free. Really <b>");
    expect(policyBodyText("<p>&#39;a&#x27; &quot;b&quot; &bogus; &#99999999;</p>")).toBe(`'a' "b" &bogus; &#99999999;`);
    expect(policyBodyText("<!-- x --><p>e\u0301</p>")).toBe("é");
  });

  it("treats Shopify's re-serialised copy of our text as the same", () => {
    const reserialised = ours
      .replace(/<br>/g, "<br />")
      .replace(/&#39;/g, "&#x27;")
      .replace(/\n/g, "")
      .replace(/<p>/g, '<p data-mce="1">');
    expect(sameRefundPolicy(ours, reserialised)).toBe(true);
    expect(sameRefundPolicy(ours, ours)).toBe(true);
  });

  it("sees an edited word, an added sentence or an empty policy as different", () => {
    expect(sameRefundPolicy(ours, ours.replace("30 days", "60 days"))).toBe(false);
    expect(sameRefundPolicy(ours, `${ours}<p>Edited in Shopify.</p>`)).toBe(false);
    expect(sameRefundPolicy(ours, "")).toBe(false);
  });
});

describe("policyBodyText, entity by entity", () => {
  it.each([
    ["&#65;&#x42;&#X43;", "ABC"], // decimal, hex in either case
    ["a&#0;b", "a\u0000b"], // code point 0 is a code point
    ["&#x10FFFF;", "\u{10FFFF}"], // the last code point
    ["&#x110000;", "&#x110000;"], // beyond it: left as written
    ["&AMP; &Lt; &GT; &apos; &QUOT;", `& < > ' "`], // named ones in any case
    ["a&nbsp;&nbsp;b", "a b"],
    ["&amp;lt;", "&lt;"], // decoded once
    ["&unknown; &#; &#x;", "&unknown; &#; &#x;"],
    ["<!-- one -->kept<!-- two\nlines -->", "kept"], // comments end at their first -->
    ["<p\nclass=\"x\">tag over lines</p>", "tag over lines"],
    ["  a \t\n b  ", "a b"],
    ["cafe\u0301", "caf\u00e9"],
  ])("%j → %j", (html, text) => {
    expect(policyBodyText(html)).toBe(text);
  });
});
