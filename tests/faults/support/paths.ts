import path from "node:path";
import { ROOT, TMP } from "../../support/paths";

export { ROOT };
export const FAULTS_TMP = path.join(TMP, "faults");
/** The fault run's own PostgreSQL cluster (deleted when the run ends); one per run, so runs side by side never share one. */
export const faultsClusterDir = (runId: number) => path.join(FAULTS_TMP, `pg-${runId}`);
/** The migrated template database every scenario's database is copied from. */
export const FAULTS_TEMPLATE_DB = "afterglow_faults_template";
export const FAULTS_LOGS = path.join(ROOT, "test-results", "faults");
/** The app secret the fault servers run with; deliveries are signed with it. */
export const FAULTS_SECRET = "faults-api-secret";
export const FAULTS_API_KEY = "faults-api-key";
