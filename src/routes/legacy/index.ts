import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  getAnalytics,
  getCampaign,
  getConnector,
  getDataConnector,
  listCampaigns,
  listClickthroughs,
} from '../../../generated/routes';
import type { AppEnv } from '../../env';
import { ApiError } from '../../errors/api-error';
import { registerAdvertisers } from './advertisers';
import { registerCredentialsCheck } from './credentialscheck';

/**
 * The nine legacy endpoints. Those not implemented yet (issue 5) answer an honest 501 problem
 * instead of a body that could be mistaken for the legacy one.
 */
export function registerLegacyRoutes(app: OpenAPIHono<AppEnv>): void {
  registerCredentialsCheck(app);
  registerAdvertisers(app);
  for (const route of [
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
