import { z } from "zod/v4";
import { describeIssues, restId as id, restText as text, restTimestamp as timestamp } from "../orders/order-payload";
import { InvalidPayloadError } from "../payload-error";

/**
 * Shopify's REST product resource as the products/create and products/update webhooks deliver it, and the bare
 * `{ id }` of products/delete, parsed into the facts return eligibility needs: the title and the tags (final-sale
 * exceptions are matched by tag). Unknown fields are ignored.
 */
export const RestProductSchema = z.object({
  id,
  title: text,
  tags: text.nullish(),
  updated_at: timestamp,
});

const RestProductDeleteSchema = z.object({ id });

export type RestProduct = z.input<typeof RestProductSchema>;

export interface ProductFacts {
  id: string;
  title: string;
  /** Lowercase, trimmed, NFC, without empties or repeats, sorted: the form eligibility compares. */
  tags: string[];
  updatedAt: Date;
}

/**
 * Shopify's comma-separated tag list as a set of comparable tags: "Final Sale, summer ,final sale" →
 * ["final sale", "summer"]. Tags are case-insensitive in Shopify, so lowercase is the same tag; one Unicode form
 * (NFC) makes "é" typed either way the same tag, as the return policy's tagKey compares them.
 */
export function normaliseTags(tags: string | null | undefined): string[] {
  if (!tags) return [];
  const set = new Set(
    tags
      .split(",")
      .map((t) => t.trim().normalize("NFC").toLowerCase())
      .filter((t) => t.length > 0),
  );
  return [...set].sort();
}

/**
 * A product as the Admin GraphQL API lists it (the historical import), in the REST shape the products webhooks
 * deliver, so both take the same path: a GID becomes the numeric id, the tag list Shopify's comma-separated string.
 */
export function graphqlProductToRest(node: { id: string; title: string; tags: string[]; updatedAt: string }): RestProduct {
  return { id: node.id.slice(node.id.lastIndexOf("/") + 1), title: node.title, tags: node.tags.join(", "), updated_at: node.updatedAt };
}

export function parseProductPayload(payload: unknown): ProductFacts {
  const result = RestProductSchema.safeParse(payload);
  if (!result.success) throw new InvalidPayloadError(describeIssues(result.error));
  const { id: productId, title, tags, updated_at } = result.data;
  return { id: productId, title, tags: normaliseTags(tags), updatedAt: updated_at };
}

/** products/delete: only the id. */
export function parseProductDeletePayload(payload: unknown): { id: string } {
  const result = RestProductDeleteSchema.safeParse(payload);
  if (!result.success) throw new InvalidPayloadError(describeIssues(result.error));
  return result.data;
}
