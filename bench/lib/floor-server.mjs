// `node bench/lib/floor-server.mjs` (from the repository root): the production server exactly as `node server.mjs`
// runs it, with the benchmark's webhook floor route (./webhook-floor.mjs) added to the build's routes. Only the
// benchmark starts it (./server.mjs); the app itself has no benchmark route.
import { refuseToStart, serve } from "../../server.mjs";
import { withWebhookFloor } from "./webhook-floor.mjs";

serve({ adaptBuild: (build) => withWebhookFloor(build, process.env.SHOPIFY_API_SECRET ?? "") }).catch(refuseToStart);
