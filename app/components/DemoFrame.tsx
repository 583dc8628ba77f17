import { useLocation } from "@remix-run/react";
import { Banner, Frame, Navigation } from "@shopify/polaris";
import type { ReactNode } from "react";
import { navText, type NavEntry } from "./nav-items";

/**
 * Outside the Shopify admin there is no App Bridge navigation, so the demo draws the same menu with Polaris, with the
 * same labels.
 * Rendered only by the demo build.
 */
export function DemoFrame({ entries, children }: { entries: NavEntry[]; children: ReactNode }) {
  const { pathname } = useLocation();
  const navigation = (
    <Navigation location={pathname} ariaLabelledBy="afterglow-nav-label">
      <span id="afterglow-nav-label" hidden>
        Afterglow
      </span>
      <Navigation.Section
        title="Afterglow"
        items={[
          ...entries.map((item) => ({
            url: item.to,
            // The admin's words, count included ("Follow-ups (3)"): the link's name is what it shows. (A Polaris badge
            // would add its hidden tone word, "Attention", to the text, which no label could then match.)
            label: navText(item),
            exactMatch: item.to === "/app",
            selected: item.to === "/app" ? pathname === "/app" : pathname.startsWith(item.to),
          })),
          { url: "/app/demo", label: "Demo: Admin API log", selected: pathname === "/app/demo" },
        ]}
      />
    </Navigation>
  );
  return (
    <Frame navigation={navigation}>
      <div style={{ padding: "var(--p-space-400) var(--p-space-400) 0" }}>
        <Banner tone="info" title="Demo shop">
          You are looking at a seeded demo shop outside Shopify. Admin API calls go to a local recorder, never to Shopify.
        </Banner>
      </div>
      {children}
    </Frame>
  );
}
