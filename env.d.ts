/// <reference types="@remix-run/node" />
/// <reference types="vite/client" />

/** True only in the demo build (`vite build --mode demo`); a production build compiles it to `false`. */
declare const __AFTERGLOW_DEMO_BUILD__: boolean;
