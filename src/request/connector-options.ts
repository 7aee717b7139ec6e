import { parameterRules, RemoveZerosParam } from '../../generated/schemas';
import type { ConnectorOptions } from '../legacy/convert-for-connector';
import type { ApiVersion } from '../routing/resolve';
import { ApiError } from '../shared/errors/api-error';

const MAX_ECHO = 64;
const TRUE_FLAG = /^(?:1|true)$/i;

/**
 * The options of one /connector or /dataconnector request. `removeZeros` is v1 only and validated
 * here, not by the route's schema: one registration serves v1 and v2, and v2 ignores it
 * unvalidated. The rule is the bare route's pattern (RemoveZerosParam) and the 400 detail the one
 * src/middleware/validation.ts writes.
 */
export function connectorOptions(
  query: { removeZeros?: string | undefined; data_connector?: string | undefined },
  version: ApiVersion,
): ConnectorOptions {
  const { removeZeros, data_connector: dataConnector } = query;
  if (version === 1 && removeZeros !== undefined && !RemoveZerosParam.safeParse(removeZeros).success) {
    const shown = JSON.stringify(
      removeZeros.length > MAX_ECHO ? `${removeZeros.slice(0, MAX_ECHO)}…` : removeZeros,
    );
    throw new ApiError(400, `Parameter "removeZeros" must be ${parameterRules.removeZeros}; got ${shown}.`);
  }
  return {
    version,
    removeZeros: version === 1 && removeZeros !== undefined && TRUE_FLAG.test(removeZeros),
    dataConnector: dataConnector !== undefined && TRUE_FLAG.test(dataConnector),
  };
}
