import { runAdminQuery, type AdminGraphql } from "./admin-client.server";

/**
 * The shop's products, a page of 250 at a time: what the historical import needs to know the tags (final-sale
 * exceptions) of products that never changed since the app was installed, so no products webhook ever named them.
 */
const PRODUCTS_PAGE_QUERY = `#graphql
  query AfterglowProducts($after: String) {
    products(first: 250, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { id title tags updatedAt }
    }
  }
`;

interface ProductNode {
  id: string;
  title: string;
  tags: string[];
  updatedAt: string;
}

interface ProductsPage {
  products: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: ProductNode[] };
}

/** Every product of the shop, page after page. */
export async function* allProducts(graphql: AdminGraphql): AsyncGenerator<ProductNode> {
  let after: string | null = null;
  for (;;) {
    const page: ProductsPage = await runAdminQuery<ProductsPage>(graphql, PRODUCTS_PAGE_QUERY, { after });
    yield* page.products.nodes;
    if (!page.products.pageInfo.hasNextPage || !page.products.pageInfo.endCursor) return;
    after = page.products.pageInfo.endCursor;
  }
}
