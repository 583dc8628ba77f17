/**
 * Is Shopify's copy of the refund policy still the text Afterglow published? Shopify stores the body as HTML and may
 * hand it back re-serialised (attribute quotes, `<br/>` for `<br>`, entities spelled differently, whitespace), and a
 * merchant can edit it in the Shopify admin. What matters to shoppers is the words, so both sides are reduced to their
 * text before comparing: tags dropped (block elements and line breaks become spaces), entities decoded, whitespace
 * collapsed. A change of markup alone (a list turned into paragraphs with the same words) therefore counts as the same.
 */

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

function decodeEntity(entity: string, body: string): string {
  if (body.startsWith("#")) {
    const code = body[1] === "x" || body[1] === "X" ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
    return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
  }
  return NAMED[body.toLowerCase()] ?? entity;
}

/** The words of an HTML body: no tags, entities decoded once, whitespace collapsed to single spaces, trimmed. */
export function policyBodyText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z]+);/g, (entity, body: string) => decodeEntity(entity, body))
    .normalize("NFC")
    .replace(/\s+/g, " ")
    .trim();
}

/** True when the two bodies say the same words (see above). */
export function sameRefundPolicy(ours: string, theirs: string): boolean {
  return policyBodyText(ours) === policyBodyText(theirs);
}
