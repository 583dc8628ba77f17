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
