import { describe, expect, it } from 'vitest';
import { ApiError } from '../shared/errors/api-error';
import { connectorOptions } from './connector-options';

const rejection = (query: { removeZeros?: string; data_connector?: string }) => {
  try {
    connectorOptions(query, 1);
  } catch (error) {
    if (error instanceof ApiError) return { status: error.status, detail: error.detail };
    throw error;
  }
  throw new Error('accepted');
};

describe('connectorOptions', () => {
  it('v1 removeZeros: 1/true/0/false in any case; anything else is the validation 400', () => {
    expect(connectorOptions({ removeZeros: 'TRUE' }, 1).removeZeros).toBe(true);
    expect(connectorOptions({ removeZeros: '1' }, 1).removeZeros).toBe(true);
    expect(connectorOptions({ removeZeros: 'False' }, 1).removeZeros).toBe(false);
    expect(connectorOptions({}, 1).removeZeros).toBe(false);
    expect(rejection({ removeZeros: 'yes' })).toEqual({
      status: 400,
      detail: 'Parameter "removeZeros" must be 1, true, 0 or false; got "yes".',
    });
  });

  it('echoes at most 64 characters of a rejected value', () => {
    const sent = 'x'.repeat(70);
    expect(rejection({ removeZeros: sent }).detail).toBe(
      `Parameter "removeZeros" must be 1, true, 0 or false; got "${'x'.repeat(64)}…".`,
    );
  });

  it('v2 ignores removeZeros, unvalidated', () => {
    expect(connectorOptions({ removeZeros: 'yes' }, 2)).toEqual({
      version: 2,
      removeZeros: false,
      dataConnector: false,
    });
    expect(connectorOptions({ removeZeros: 'true' }, 2).removeZeros).toBe(false);
  });

  it('data_connector is on for 1/true in any case, off for anything else, never an error', () => {
    expect(connectorOptions({ data_connector: 'TrUe' }, 1).dataConnector).toBe(true);
    expect(connectorOptions({ data_connector: '1' }, 2).dataConnector).toBe(true);
    expect(connectorOptions({ data_connector: 'yes' }, 1).dataConnector).toBe(false);
    expect(connectorOptions({ data_connector: 'true ' }, 1).dataConnector).toBe(false);
  });
});
