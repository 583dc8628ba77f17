// `npm run consume:pubsub`: Shopify's webhooks from a Google Pub/Sub subscription, applied by the app's own services
// (app/pubsub/consumer.server.ts, docs/decisions/026-pubsub-consumer.md). Runs the production build (`npm run build`),
// as server.mjs does, beside the web instances and on the same DATABASE_URL. Configured by the environment:
// PUBSUB_SUBSCRIPTION (required), GOOGLE_CLOUD_PROJECT, PUBSUB_MAX_MESSAGES, PUBSUB_SHUTDOWN_SECONDS, plus the app's.
// SIGTERM / SIGINT: stop pulling, finish the messages in flight (acked or nacked), close, exit 0.
import path from "node:path";
import { pathToFileURL } from "node:url";

const buildDir = path.resolve("build");

// Until the consumer runs, a stop request just ends the process; then it stops in order (below).
let shutdown = () => process.exit(1);
process.on("SIGTERM", () => shutdown());
process.on("SIGINT", () => shutdown());

async function main() {
  // Importing the build validates the app's environment (app/env.server.ts) and throws on anything wrong.
  const build = await import(pathToFileURL(path.join(buildDir, "server", "index.js")).href);
  const { pubsubConsumerConfig, startPubSubConsumer } = await build.entry.module.loadPubSubConsumer();
  const consumer = await startPubSubConsumer(pubsubConsumerConfig(process.env));

  let stopping = false;
  const stop = (code) => {
    if (stopping) return;
    stopping = true;
    consumer.stop().then(
      () => process.exit(code),
      (error) => {
        console.error(`The Pub/Sub consumer did not stop cleanly: ${error instanceof Error ? error.name : error}`);
        process.exit(1);
      },
    );
  };
  shutdown = () => stop(0);
  // The subscription failed for good (deleted, permission revoked): stop, and let the platform restart the process.
  consumer.failed.then(() => stop(1));
}

main().catch((error) => {
  console.error(`The Pub/Sub consumer refused to start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
