import { useNavigate, useRouteLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { BlockStack, Layout, Page } from "@shopify/polaris";
import type { ReactNode } from "react";

interface AppLayoutData {
  demo: boolean;
}

/**
 * AppPage's shape (Page → TitleBar → Layout) with a back action to a parent page. Inside the Shopify admin the title
 * and the back action live in App Bridge's title bar (a breadcrumb, which navigates in the app); in the demo, where
 * there is no admin chrome, Polaris shows both on the page (the Page's `backAction`). The customer page uses it to
 * lead back to the list with the filters it was opened from.
 */
export function PageWithBack({
  title,
  subtitle,
  back,
  children,
}: {
  title: string;
  subtitle?: string;
  back: { content: string; url: string };
  children: ReactNode;
}) {
  const layout = useRouteLoaderData<AppLayoutData>("routes/app");
  const demo = layout?.demo ?? false;
  const navigate = useNavigate();
  return (
    <Page title={demo ? title : undefined} subtitle={demo ? subtitle : undefined} backAction={demo ? back : undefined}>
      <TitleBar title={title}>
        {/* Outside the admin App Bridge is not loaded and would leave this button on the page as it is. */}
        {demo ? null : (
          <button variant="breadcrumb" onClick={() => navigate(back.url)}>
            {back.content}
          </button>
        )}
      </TitleBar>
      <Layout>
        <Layout.Section>
          <BlockStack gap="500">{children}</BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
