import { describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../lib/openapi.js';
import { accepts, pathsBySchemeTypes } from './scheme-paths.js';

const op = (security?: Record<string, string[]>[]) => ({ operationId: 'x', ...(security ? { security } : {}) });

describe('what a client holding one scheme can call', () => {
  it('takes an operation asking for nothing, or one alternative naming the scheme alone', () => {
    expect(accepts([], 'app')).toBe(true);
    expect(accepts([{}], 'app')).toBe(true);
    expect(accepts([{ app: [] }], 'app')).toBe(true);
    expect(accepts([{ user: [] }, { app: ['read'] }], 'app')).toBe(true);
    expect(accepts([{ user: [] }], 'app')).toBe(false);
    // Both credentials at once: a client holding one cannot make the call.
    expect(accepts([{ app: [], user: [] }], 'app')).toBe(false);
  });

  it("cuts a path to the methods a scheme can call; an operation without security has the document's", () => {
    const doc: OpenApiDocument = {
      openapi: '3.1.0',
      info: { title: 't', version: '1' },
      security: [{ app: [] }],
      components: { securitySchemes: { app: { type: 'http', scheme: 'bearer' }, user: { type: 'http', scheme: 'bearer' } } },
      paths: {
        '/token': { post: op([]) },
        '/items': { get: op([{ user: [] }]), post: op() },
        '/pos': { put: op() },
      },
    };
    const types = pathsBySchemeTypes(doc);
    const scheme = (name: string) => types.slice(types.indexOf(`"${name}": {`)).split('\n  };')[0];
    expect(scheme('app')).toContain('"/token": paths["/token"];');
    expect(scheme('app')).toContain('"/pos": paths["/pos"];');
    expect(scheme('app')).toContain('"/items": { parameters: paths["/items"]["parameters"]; get?: never; put?: never; post: paths["/items"]["post"];');
    expect(scheme('user')).toContain('"/token": paths["/token"];');
    expect(scheme('user')).toContain('"/items": { parameters: paths["/items"]["parameters"]; get: paths["/items"]["get"]; put?: never; post?: never;');
    expect(scheme('user')).not.toContain('"/pos"');
  });
});
