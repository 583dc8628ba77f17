import { useLocation } from "@remix-run/react";
import { Badge, Banner, Frame, Navigation } from "@shopify/polaris";
import type { ReactNode } from "react";
import type { NavEntry } from "./nav-items";

/**
 * Outside the Shopify admin there is no App Bridge navigation, so the demo draws the same menu with Polaris (the
 * counts as badges).
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
            label: item.label,
            exactMatch: item.to === "/app",
            selected: item.to === "/app" ? pathname === "/app" : pathname.startsWith(item.to),
            // A count as a Polaris badge; the link's accessible name stays "Follow-ups, 3 open".
            ...(item.count !== null
              ? { badge: <Badge tone="attention">{item.count.toLocaleString("en-US")}</Badge>, accessibilityLabel: `${item.label}, ${item.count.toLocaleString("en-US")} open` }
              : {}),
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
