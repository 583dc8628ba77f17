import { decodeTimeIdCursor, encodeTimeIdCursor, keysetPage, type PageInfo } from "~/domain/cursor";
import { privacyRequestPage, type PrivacyListPosition, type PrivacyRequestKind } from "~/models/privacy-requests.server";

/**
 * The Privacy page's read model: the shop's compliance requests, newest first, one page at a time with opaque
 * cursors. Plain JSON-friendly objects (dates as ISO strings) that the page's components take as props.
 */
const PRIVACY_PAGE_SIZE = 25;

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

interface PrivacyRequestsPage {
  requests: PrivacyRequestView[];
  pageInfo: PageInfo;
}

const privacyExportPath = (id: number) => `/app/privacy/${id}/export.json`;

/** A page's cursor (app/domain/cursor.ts) as the model's position, or null (the first page). */
function position(cursor: string | null): PrivacyListPosition | null {
  const decoded = decodeTimeIdCursor(cursor);
  return decoded ? { at: decoded.at.getTime(), id: decoded.id } : null;
}

function statusOf(row: { kind: PrivacyRequestKind; rowsChanged: number | null }): string {
  if (row.kind === "data-request") return "Export ready";
  const rows = row.rowsChanged ?? 0;
  if (rows === 0) return "Done: nothing left to erase";
  return `Done: ${rows.toLocaleString("en-US")} ${rows === 1 ? "row" : "rows"} erased`;
}

/** One page of the shop's privacy requests (URL parameters `after` / `before`). */
export async function listPrivacyRequests(shop: string, params: URLSearchParams): Promise<PrivacyRequestsPage> {
  const limit = PRIVACY_PAGE_SIZE;
  const before = position(params.get("before"));
  const after = before ? null : position(params.get("after"));
  const read = await privacyRequestPage(shop, { after, before, limit });
  const { rows: page, pageInfo } = keysetPage(read, limit, { after: Boolean(after), before: Boolean(before) }, (row) =>
    encodeTimeIdCursor({ at: row.receivedAt, id: row.id }),
  );
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
    pageInfo,
  };
}
