import type { ToolContext } from '../../core/agent-tool.js';
import { notFound } from '../../core/errors.js';

/** The currency the business's catalog is priced in. */
export async function businessCurrency({ store, scope }: ToolContext): Promise<string> {
  const business = await store.businesses.getById(scope.businessId);
  if (!business) throw notFound('The business');
  return business.profile.currency;
}
