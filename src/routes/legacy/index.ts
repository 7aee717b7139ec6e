import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../env';
import { registerAdvertisers } from './advertisers';
import { registerAnalytics } from './analytics';
import { registerCampaigns } from './campaigns';
import { registerClickthroughs } from './clickthroughs';
import { registerConnector } from './connector';
import { registerCredentialsCheck } from './credentialscheck';
import { registerDataConnector } from './dataconnector';

/** The nine legacy endpoints (CONTRACT §2). */
export function registerLegacyRoutes(app: OpenAPIHono<AppEnv>): void {
  registerCredentialsCheck(app);
  registerAdvertisers(app);
  registerCampaigns(app);
  registerAnalytics(app);
  registerClickthroughs(app);
  registerConnector(app);
  registerDataConnector(app);
}
