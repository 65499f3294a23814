import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkPeers, PEERS } from './peers.js';

describe('checkPeers', () => {
  it('names every missing peer and one command that installs them all', () => {
    const missing = new Set(['@stoplight/prism-core', 'ajv-formats']);
    const resolve = (name: string) => {
      if (missing.has(name)) throw new Error(`Cannot find module '${name}'`);
      return `/node_modules/${name}`;
    };
    expect(() => checkPeers(resolve)).toThrow(
      'the mock needs @stoplight/prism-core, ajv-formats (optional peer dependencies of martech-contracts): run npm install --save-dev @stoplight/prism-http@5.12.0 @stoplight/prism-core@5.8.0 @stoplight/prism-http-server@5.12.2 ajv ajv-formats',
    );
  });

  it('fails for one missing peer too', () => {
    expect(() => checkPeers((name) => (name === 'ajv' ? (() => { throw new Error('missing'); })() : name))).toThrow('the mock needs ajv (optional');
  });

  it('passes when every peer resolves (as in this repository)', () => {
    expect(() => checkPeers()).not.toThrow();
  });

  it('names the peers package.json declares, at versions its ranges allow', () => {
    const declared = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).peerDependencies as Record<string, string>;
    expect(Object.keys(PEERS).sort()).toEqual(Object.keys(declared).sort());
    for (const [name, version] of Object.entries(PEERS)) if (version) expect(declared[name]).toBe(`~${version}`);
  });
});
