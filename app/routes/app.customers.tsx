import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/auth.server";
import { AppPage } from "~/components/AppPage";
import { ComingSoonCard } from "~/components/ComingSoonCard";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return null;
}

export default function CustomersPage() {
  return (
    <AppPage title="Customers">
      <ComingSoonCard heading="Customer profiles are on their way">
        Afterglow is already recording your orders. Soon this page lists each customer with their tier, points, net spend, orders and latest survey answer.
      </ComingSoonCard>
    </AppPage>
  );
}
