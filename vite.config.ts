import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig, type Plugin } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

/**
 * `remix vite:dev` (what `shopify app dev` runs) never runs server.mjs, so without this the development server
 * would serve pages but deliver no outbox message, resume no job and run no sweep: tiers would never reach the
 * development store. Once the server listens, the app's own start-up runs, as server.mjs runs it in production;
 * `startup` guards itself so Vite's re-evaluation of modules after an edit starts nothing twice.
 */
function backgroundWorkInDevelopment(): Plugin {
  return {
    name: "afterglow:background-work-in-development",
    apply: "serve",
    configureServer(server) {
      const start = () => {
        server
          .ssrLoadModule("/app/entry.server.tsx")
          .then((entry) => (entry as { startup: () => Promise<unknown> }).startup())
          .catch((error: unknown) => {
            server.config.logger.error(`Afterglow's background work did not start: ${error instanceof Error ? error.message : String(error)}`);
          });
      };
      if (server.httpServer) server.httpServer.once("listening", start);
      else start();
    },
  };
}

// `--mode demo` produces the demo build (build-demo/); every other mode is a production build.
// The constant is folded at build time, so demo-only code is absent from a production bundle.
export default defineConfig(({ mode }) => {
  const demo = mode === "demo";
  return {
    define: { __AFTERGLOW_DEMO_BUILD__: JSON.stringify(demo) },
    server: { host: "127.0.0.1", port: Number(process.env.PORT ?? 3000) },
    plugins: [
      remix({
        ignoredRouteFiles: ["**/.*", "**/*.test.ts", "**/*.test.tsx"],
        buildDirectory: demo ? "build-demo" : "build",
        future: {
          v3_fetcherPersist: true,
          v3_relativeSplatPath: true,
          v3_throwAbortReason: true,
          v3_lazyRouteDiscovery: true,
          v3_singleFetch: true,
          v3_routeConfig: true,
        },
      }),
      tsconfigPaths(),
      backgroundWorkInDevelopment(),
    ],
    build: { assetsInlineLimit: 0 },
  };
});
