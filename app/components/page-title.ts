import type { MetaFunction } from "@remix-run/node";

/** The document title of an admin page: the page's own title (what its heading says), then the app's name. */
export function documentTitle(pageTitle: string): string {
  return `${pageTitle} · Afterglow`;
}

/** A route's `meta` for a page with a fixed title; pass the same title as the page's `AppPage`. */
export function titleMeta(pageTitle: string): MetaFunction {
  return () => [{ title: documentTitle(pageTitle) }];
}
