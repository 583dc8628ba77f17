import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/auth.server";
import { AppPage } from "~/components/AppPage";
import { ComingSoonCard } from "~/components/ComingSoonCard";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return null;
}

export default function LoyaltyPage() {
  return (
    <AppPage title="Loyalty">
      <ComingSoonCard heading="Loyalty tiers are not set up yet">
        Soon you will define tiers such as Bronze, Silver and Gold by spend or order count, set a points rate, and see how your customers spread over the tiers.
      </ComingSoonCard>
    </AppPage>
  );
}
