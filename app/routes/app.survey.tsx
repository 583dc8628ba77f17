import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/auth.server";
import { AppPage } from "~/components/AppPage";
import { ComingSoonCard } from "~/components/ComingSoonCard";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return null;
}

export default function SurveyPage() {
  return (
    <AppPage title="Survey">
      <ComingSoonCard heading="The post-purchase survey is not set up yet">
        Soon you will choose the questions shoppers see on the thank-you and order status pages (NPS, CSAT, CES, how they heard about you, a comment), word them in each language, preview them and publish.
      </ComingSoonCard>
    </AppPage>
  );
}
