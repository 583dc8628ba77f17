import path from "node:path";
import { ROOT, TMP } from "../../support/paths";

export { ROOT };
export const FAULTS_TMP = path.join(TMP, "faults");
export const FAULTS_TEMPLATE_DB = path.join(FAULTS_TMP, "template.sqlite");
export const FAULTS_LOGS = path.join(ROOT, "test-results", "faults");
/** The app secret the fault servers run with; deliveries are signed with it. */
export const FAULTS_SECRET = "faults-api-secret";
export const FAULTS_API_KEY = "faults-api-key";
