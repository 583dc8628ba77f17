import type { SqlClient } from "~/db.server";
import { applyIngestEvents, parseIngestEvent } from "~/services/ingest-webhook.server";

/** One parsed webhook event applied on `tx` as a group of one (what a delivery that arrives alone costs). */
export async function applyOne(tx: SqlClient, event: Awaited<ReturnType<typeof parseIngestEvent>>) {
  return (await applyIngestEvents(tx, [event]))[0];
}
