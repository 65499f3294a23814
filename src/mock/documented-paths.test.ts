import { describe, expect, it } from 'vitest';
import { documentedPaths } from './documented-paths.js';
import type { Operation } from './prism.js';

// Through the real mock for every vendor: src/mock/index.test.ts (MOCK-165).
const op = (method: string, path: string) => ({ method, path }) as unknown as Operation;

describe("what a 404 says the vendor documents", () => {
  it('names every path of a thin spec, its methods together, and says when there is none', () => {
    expect(documentedPaths([op('get', '/items'), op('post', '/items'), op('get', '/items/{id}')])('/login')).toBe('it documents 2 paths: GET, POST /items; GET /items/{id}');
    expect(documentedPaths([])('/login')).toBe('it documents no path yet');
  });

  it('names the paths nearest the one asked for in a larger spec: segments filled first, a template taking any, then shared characters', () => {
    const near = documentedPaths(['/a', '/b', '/c', '/d', '/groups/{id}/members', '/groups/types', '/members'].map((path) => op('get', path)));
    expect(near('/groups/7/member')).toBe('it documents 7 paths; nearest: GET /groups/{id}/members');
    expect(near('/mem')).toBe('it documents 7 paths; nearest: GET /members');
    expect(near('/zzz/1')).toBe('it documents 7 paths, none under /zzz');
    expect(near('/')).toBe('it documents 7 paths, none under /');
  });
});
