import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
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
    ],
    build: { assetsInlineLimit: 0 },
  };
});
