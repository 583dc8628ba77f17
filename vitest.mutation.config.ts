import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config";

// The unit + integration suite as StrykerJS runs it (stryker.config.mjs): in a sandbox copy of the project whose
// node_modules is a link to the real one, which Vite's file-serving guard would otherwise refuse (Polaris's CSS
// `?url` imports of the admin routes).
export default mergeConfig(base, defineConfig({ server: { fs: { strict: false } } }));
