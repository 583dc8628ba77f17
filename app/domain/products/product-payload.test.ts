import { describe, expect, it } from "vitest";
import { InvalidPayloadError } from "../payload-error";
import { graphqlProductToRest, normaliseTags, parseProductDeletePayload, parseProductPayload } from "./product-payload";

const PRODUCT = { id: 632910392, title: "IPod Nano - 8GB", tags: "Emotive, Flash Memory, MP3, Music", updated_at: "2026-09-01T10:00:00-04:00", vendor: "Apple", variants: [] };

describe("product tags", () => {
  it.each<[string, string | null | undefined, string[]]>([
    ["none", "", []],
    ["null", null, []],
    ["absent", undefined, []],
    ["Shopify's comma-and-space list", "Emotive, Flash Memory, MP3", ["emotive", "flash memory", "mp3"]],
    ["case and surrounding spaces do not make another tag", "Final Sale,  final sale ,FINAL SALE", ["final sale"]],
    ["empty pieces are dropped", " , ,final-sale,, ", ["final-sale"]],
    ["inner spaces are kept", "last  chance", ["last  chance"]],
    ["sorted", "b, a, c", ["a", "b", "c"]],
    ["non-Latin text is lowercased where it has case", "ÉTÉ, Летний, 夏", ["été", "летний", "夏"]],
    ["an accent typed as a combining mark is the same tag", "E\u0301te\u0301, été", ["été"]],
  ])("%s", (_label, tags, expected) => {
    expect(normaliseTags(tags)).toEqual(expected);
  });
});

describe("REST product → product facts", () => {
  it("keeps the id, title, normalised tags and updated_at; ignores unknown fields", () => {
    expect(parseProductPayload(PRODUCT)).toEqual({
      id: "632910392",
      title: "IPod Nano - 8GB",
      tags: ["emotive", "flash memory", "mp3", "music"],
      updatedAt: new Date("2026-09-01T14:00:00Z"),
    });
  });

  it("reads an id sent as a string digit for digit", () => {
    expect(parseProductPayload({ ...PRODUCT, id: "9007199254740993" }).id).toBe("9007199254740993");
  });

  it.each([
    ["no id", { id: undefined }, "id"],
    ["an id beyond 2^53 as a number", { id: 2 ** 53 + 2 }, "id"],
    ["no title", { title: undefined }, "title"],
    ["tags that are not text", { tags: ["a", "b"] }, "tags"],
    ["an updated_at that is not a timestamp", { updated_at: "last week" }, "updated_at"],
    ["no updated_at", { updated_at: undefined }, "updated_at"],
  ])("refuses %s, naming the field", (_label, change, path) => {
    expect(() => parseProductPayload({ ...PRODUCT, ...change })).toThrow(InvalidPayloadError);
    expect(() => parseProductPayload({ ...PRODUCT, ...change })).toThrow(path);
  });

  it("products/delete needs only the id", () => {
    expect(parseProductDeletePayload({ id: 632910392 })).toEqual({ id: "632910392" });
    expect(() => parseProductDeletePayload({})).toThrow(InvalidPayloadError);
    expect(() => parseProductDeletePayload({ id: -1 })).toThrow("id");
  });

  it("stores a title with a lone surrogate as U+FFFD instead of refusing the product", () => {
    expect(parseProductPayload({ ...PRODUCT, title: "Tee \ud800" }).title).toBe("Tee \ufffd");
  });
});

describe("an Admin GraphQL product (the historical import) in the REST shape", () => {
  const node = { id: "gid://shopify/Product/632910392", title: "IPod Nano - 8GB", tags: ["Emotive", "Flash Memory"], updatedAt: "2026-09-01T14:00:00Z" };

  it("takes the numeric id from the GID and joins the tags as Shopify's webhooks write them", () => {
    expect(graphqlProductToRest(node)).toEqual({ id: "632910392", title: "IPod Nano - 8GB", tags: "Emotive, Flash Memory", updated_at: "2026-09-01T14:00:00Z" });
  });

  it("gives the same facts as the webhook's payload", () => {
    expect(parseProductPayload(graphqlProductToRest(node))).toEqual({
      id: "632910392",
      title: "IPod Nano - 8GB",
      tags: ["emotive", "flash memory"],
      updatedAt: new Date("2026-09-01T14:00:00Z"),
    });
  });
});
