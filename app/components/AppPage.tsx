import { useNavigate, useRouteLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { BlockStack, Layout, Page } from "@shopify/polaris";
import type { ReactNode } from "react";

interface AppLayoutData {
  demo: boolean;
}

/**
 * Page → TitleBar → Layout, the shape every admin page shares. Inside the Shopify admin the title lives in
 * App Bridge's title bar; in the demo (no admin chrome) Polaris shows it on the page. With `back`, a page leads back
 * to its parent (the customer page to the list it was opened from): in the admin as the title bar's breadcrumb
 * (which navigates in the app), in the demo as the Page's back action.
 */
export function AppPage({
  title,
  subtitle,
  back,
  children,
}: {
  title: string;
  subtitle?: string;
  back?: { content: string; url: string };
  children: ReactNode;
}) {
  const layout = useRouteLoaderData<AppLayoutData>("routes/app");
  const demo = layout?.demo ?? false;
  const navigate = useNavigate();
  return (
    <Page title={demo ? title : undefined} subtitle={demo ? subtitle : undefined} backAction={demo ? back : undefined}>
      <TitleBar title={title}>
        {/* Outside the admin App Bridge is not loaded and would leave this button on the page as it is. */}
        {back && !demo ? (
          <button variant="breadcrumb" onClick={() => navigate(back.url)}>
            {back.content}
          </button>
        ) : null}
      </TitleBar>
      <Layout>
        <Layout.Section>
          <BlockStack gap="500">{children}</BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
