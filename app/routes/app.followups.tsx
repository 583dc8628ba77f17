import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/auth.server";
import { AppPage } from "~/components/AppPage";
import { ComingSoonCard } from "~/components/ComingSoonCard";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return null;
}

export default function FollowupsPage() {
  return (
    <AppPage title="Follow-ups">
      <ComingSoonCard heading="No follow-ups yet">
        When a shopper gives a low score, a follow-up opens here so that you can contact them and record what you did.
      </ComingSoonCard>
    </AppPage>
  );
}
