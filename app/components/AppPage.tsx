import { useRouteLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { BlockStack, Layout, Page } from "@shopify/polaris";
import type { ReactNode } from "react";

interface AppLayoutData {
  demo: boolean;
}

/**
 * Page → TitleBar → Layout, the shape every admin page shares. Inside the Shopify admin the title lives in
 * App Bridge's title bar; in the demo (no admin chrome) Polaris shows it on the page.
 */
export function AppPage({ title, subtitle, children }: { title: string; subtitle?: string; children: ReactNode }) {
  const layout = useRouteLoaderData<AppLayoutData>("routes/app");
  const demo = layout?.demo ?? false;
  return (
    <Page title={demo ? title : undefined} subtitle={demo ? subtitle : undefined}>
      <TitleBar title={title} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="500">{children}</BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
