import { runImportJob } from "~/services/order-import.server";

/**
 * Runs an import job the test holds (created with its lease by `createJob`) from the start: the checkpoint a new
 * import records, with only `since` set (the import fills in the rest as a fresh one, as it does for a job it resumes).
 */
export function runOrderImport(shop: string, jobId: number, deps: Parameters<typeof runImportJob>[1], since: Date | null) {
  return runImportJob({ id: jobId, shop, checkpoint: { since: since?.toISOString() ?? null } }, deps);
}
