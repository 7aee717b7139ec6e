import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  getAdvertiser,
  getAnalytics,
  getCampaign,
  getConnector,
  getCredentialsCheck,
  getDataConnector,
  listAdvertisers,
  listCampaigns,
  listClickthroughs,
} from '../../../generated/routes';
import type { AppEnv } from '../../env';
import { ApiError } from '../../errors/api-error';

/**
 * The nine legacy endpoints. Not implemented yet (issues 4 and 5): each answers an honest 501
 * problem instead of a body that could be mistaken for the legacy one.
 */
export function registerLegacyRoutes(app: OpenAPIHono<AppEnv>): void {
  for (const route of [
    getCredentialsCheck,
    listAdvertisers,
    getAdvertiser,
    listCampaigns,
    getCampaign,
    getAnalytics,
    listClickthroughs,
    getConnector,
    getDataConnector,
  ]) {
    app.openapi(route, () => {
      throw new ApiError(501, `${route.operationId} is not implemented yet.`);
    });
  }
}
