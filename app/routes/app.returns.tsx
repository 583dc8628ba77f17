import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/auth.server";
import { AppPage } from "~/components/AppPage";
import { ComingSoonCard } from "~/components/ComingSoonCard";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return null;
}

export default function ReturnsPage() {
  return (
    <AppPage title="Returns">
      <ComingSoonCard heading="Your return policy is not set up yet">
        Soon you will set your return window, fees and exceptions here, publish the policy text to your store in several languages, and follow your return rate.
      </ComingSoonCard>
    </AppPage>
  );
}
