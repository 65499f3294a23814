import { describe, expect, it } from 'vitest';
import { vendors } from '../../src/vendors.js';
import { matchOperation } from './match.js';
import { loadSpec } from './spec.js';

const spec = (name: string) => loadSpec(vendors.find((v) => v.name === name)!);

describe('matchOperation', () => {
  it('finds the operation by method and path template', () => {
    expect(matchOperation(spec('xonvo'), 'GET', '/accounts/18/leads/EXT-1/statistics')?.operation.operationId).toBe('getLeadStatistics');
    expect(matchOperation(spec('xonvo'), 'put', '/leads/bulk')?.operation.operationId).toBe('updateLeadsBulk');
  });

  it('prefers literal segments where templates overlap', () => {
    expect(matchOperation(spec('footprints'), 'PUT', '/api/lead/action/abc')?.operation.operationId).toBe('updateLeadAction');
    expect(matchOperation(spec('footprints'), 'PUT', '/api/lead/abc/nps')?.operation.operationId).toBe('updateLeadNps');
  });

  it('reads a %2F inside a segment as part of that one parameter, as the mock routes it (a base64 id)', () => {
    expect(matchOperation(spec('imprzd'), 'GET', '/BroadcastImpression/api/file/displayImageV2/L2hv%2FZWZz%2BA%3D')?.operation.operationId).toBe('getDisplayImage');
    expect(matchOperation(spec('imprzd'), 'GET', '/BroadcastImpression/api/file/displayImageV2/a/b')).toBeUndefined();
  });

  it('finds nothing for an undocumented method or path', () => {
    expect(matchOperation(spec('xonvo'), 'DELETE', '/lead')).toBeUndefined();
    expect(matchOperation(spec('xonvo'), 'GET', '/accounts/18/secrets')).toBeUndefined();
  });
});
