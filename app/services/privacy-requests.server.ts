import { privacyRequestPage, type PrivacyListPosition, type PrivacyRequestKind } from "~/models/privacy-requests.server";

/**
 * The Privacy page's read model: the shop's compliance requests, newest first, one page at a time with opaque
 * cursors. Plain JSON-friendly objects (dates as ISO strings) that the page's components take as props.
 */
export const PRIVACY_PAGE_SIZE = 25;

export interface PrivacyRequestView {
  id: number;
  kind: PrivacyRequestKind;
  customerId: string;
  /** Shopify's data request id (data requests only). */
  dataRequestId: string | null;
  /** How many orders Shopify named in the request. */
  orders: number;
  receivedAt: string;
  status: string;
  /** The export's path, for data requests. */
  exportPath: string | null;
}

export interface PrivacyRequestsPage {
  requests: PrivacyRequestView[];
  pageInfo: { hasNext: boolean; hasPrevious: boolean; nextCursor: string | null; previousCursor: string | null };
}

export const privacyExportPath = (id: number) => `/app/privacy/${id}/export.json`;

/** An opaque cursor: base64url JSON of a row's receivedAt (ms) and id. */
export function encodePrivacyCursor(position: PrivacyListPosition): string {
  return Buffer.from(JSON.stringify([position.at, position.id]), "utf8").toString("base64url");
}

/** The position in a cursor; null when it is missing or malformed (then: the first page). */
export function decodePrivacyCursor(cursor: string | null): PrivacyListPosition | null {
  if (!cursor) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [at, id] = value as unknown[];
    if (!Number.isSafeInteger(at) || !Number.isSafeInteger(id)) return null;
    return { at: at as number, id: id as number };
  } catch {
    return null;
  }
}

function statusOf(row: { kind: PrivacyRequestKind; rowsChanged: number | null }): string {
  if (row.kind === "data-request") return "Export ready";
  const rows = row.rowsChanged ?? 0;
  if (rows === 0) return "Done: nothing left to erase";
  return `Done: ${rows.toLocaleString("en-US")} ${rows === 1 ? "row" : "rows"} erased`;
}

/** One page of the shop's privacy requests (URL parameters `after` / `before`). */
export async function listPrivacyRequests(shop: string, params: URLSearchParams, limit = PRIVACY_PAGE_SIZE): Promise<PrivacyRequestsPage> {
  const before = decodePrivacyCursor(params.get("before"));
  const after = before ? null : decodePrivacyCursor(params.get("after"));
  const rows = await privacyRequestPage(shop, { after, before, limit });
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  const cursorOf = (row: (typeof page)[number] | undefined) => (row ? encodePrivacyCursor({ at: row.receivedAt.getTime(), id: row.id }) : null);
  // Paging forwards, "more" means a next page; paging backwards, a previous one.
  const hasNext = before ? true : more;
  const hasPrevious = before ? more : Boolean(after);
  return {
    requests: page.map((row) => ({
      id: row.id,
      kind: row.kind,
      customerId: row.customerId,
      dataRequestId: row.dataRequestId,
      orders: row.orderIds.length,
      receivedAt: row.receivedAt.toISOString(),
      status: statusOf(row),
      exportPath: row.kind === "data-request" ? privacyExportPath(row.id) : null,
    })),
    pageInfo: {
      hasNext: hasNext && page.length > 0,
      hasPrevious: hasPrevious && page.length > 0,
      nextCursor: hasNext && page.length > 0 ? cursorOf(page[page.length - 1]) : null,
      previousCursor: hasPrevious && page.length > 0 ? cursorOf(page[0]) : null,
    },
  };
}
