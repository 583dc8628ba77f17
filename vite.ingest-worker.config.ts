import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

/**
 * The ingest worker thread's build (app/ingest-worker.entry.ts → build/ingest-worker/index.js, or build-demo/… with
 * `--mode demo`), run by `npm run build` after the Remix build. A server-side bundle of the app's own code; packages
 * stay imports of node_modules, as in the Remix server build.
 */
export default defineConfig(({ mode }) => {
  const demo = mode === "demo";
  return {
    define: { __AFTERGLOW_DEMO_BUILD__: JSON.stringify(demo) },
    plugins: [tsconfigPaths()],
    logLevel: "warn",
    build: {
      ssr: "app/ingest-worker.entry.ts",
      outDir: demo ? "build-demo/ingest-worker" : "build/ingest-worker",
      emptyOutDir: true,
      target: "node22",
      rollupOptions: { output: { entryFileNames: "index.js", format: "es" } },
    },
  };
});
