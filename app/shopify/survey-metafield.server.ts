import { SURVEY_METAFIELD, type SurveyConfig } from "~/domain/survey/questions";
import { AdminApiError, runAdminQuery, type AdminGraphql } from "./admin-client.server";
import { userErrorsMessage, type AdminUserError } from "./user-errors";

/**
 * Publishing the survey: the validated SurveyConfig goes into the app-owned shop metafield
 * `$app:afterglow.survey_config` (JSON), which the checkout extension reads without a network round trip.
 * Two calls: the shop's GID (the metafield's owner), then one `metafieldsSet`.
 */

export const SHOP_ID_QUERY = `#graphql
  query AfterglowShopId {
    shop { id }
  }
`;

export const SURVEY_PUBLISH_MUTATION = `#graphql
  mutation AfterglowSurveyPublish($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields { id updatedAt }
      userErrors { field message code }
    }
  }
`;

/** The published value: the merchant's config plus the answers endpoint of this app (`endpoint`). */
function surveyMetafieldVariables(shopGid: string, config: SurveyConfig, endpoint: string) {
  return {
    metafields: [{ ownerId: shopGid, ...SURVEY_METAFIELD, value: JSON.stringify({ ...config, endpoint }) }],
  };
}

/** Shopify refused the metafield (`userErrors`); the message carries Shopify's own text only. */
export class SurveyPublishRejected extends Error {
  override name = "SurveyPublishRejected";
  constructor(readonly userErrors: AdminUserError[]) {
    super(userErrorsMessage(userErrors));
  }
}

/**
 * Writes `config` to the shop metafield. Throws `SurveyPublishRejected` on userErrors and `AdminApiError` (or the
 * client's own error) on transport and GraphQL-level failures.
 */
export async function publishSurveyMetafield(graphql: AdminGraphql, config: SurveyConfig, endpoint: string): Promise<void> {
  const { shop } = await runAdminQuery<{ shop: { id: string } | null }>(graphql, SHOP_ID_QUERY);
  if (!shop?.id) throw new AdminApiError("shop returned no id", null);
  const data = await runAdminQuery<{ metafieldsSet: { userErrors?: AdminUserError[] } | null }>(
    graphql,
    SURVEY_PUBLISH_MUTATION,
    surveyMetafieldVariables(shop.id, config, endpoint),
  );
  if (!data.metafieldsSet) throw new AdminApiError("metafieldsSet returned no payload", null);
  if (data.metafieldsSet.userErrors?.length) throw new SurveyPublishRejected(data.metafieldsSet.userErrors);
}
