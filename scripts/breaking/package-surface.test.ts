/** package.json's commands and Node range against the release's. */
import { describe, expect, it } from 'vitest';
import { comparePackage, promisesProblem } from './package-surface.js';

const released = { bin: { 'martech-contracts': './dist/cli.js' }, engines: { node: '>=20.19' } };
const found = (after: Parameters<typeof comparePackage>[2]) => comparePackage('martech-contracts', released, after).map((c) => `${c.severity} ${c.vendor}: ${c.where} ${c.message.split(':')[0]}`);

describe('comparePackage', () => {
  it('breaks on a command no longer installed, and on a raised Node range', () => {
    expect(found({ engines: { node: '>=24' } })).toEqual(['breaking commands: command `martech-contracts` is no longer installed (package.json `bin`)', 'breaking node: package.json engines.node raised (>=20.19 → >=24)']);
    // A renamed command is the old one gone.
    expect(found({ bin: { 'mt-contracts': './dist/cli.js' }, engines: released.engines })).toEqual(['breaking commands: command `martech-contracts` is no longer installed (package.json `bin`)', 'info commands: command `mt-contracts` is new']);
  });

  it('says nothing of the same promises written another way: `bin` as a string, the command moved to another file', () => {
    expect(found({ bin: './dist/cli.js', engines: { node: '>=20.19' } })).toEqual([]);
    expect(found({ bin: { 'martech-contracts': './dist/bin.js' }, engines: { node: '>=20.19' } })).toEqual([]);
    expect(comparePackage('@scope/tool', { bin: { tool: 'a.js' } }, { bin: 'b.js' })).toEqual([]);
  });

  it('lists a widened range, and leaves a range it cannot read to a person', () => {
    expect(found({ ...released, engines: { node: '>=18' } })).toEqual(['info node: package.json engines.node lowered (>=20.19 → >=18)']);
    // Alternatives that together cover the release's range keep every version (semver.subset says they do not).
    expect(found({ ...released, engines: { node: '^20.19.0 || >=21' } })).toEqual([]);
    expect(found({ ...released, engines: { node: 'lts/*' } }).map((line) => line.split(' ')[0])).toEqual(['warning']);
    // A Node range where the release had none narrows it.
    expect(comparePackage('p', { bin: {} }, { bin: {}, engines: { node: '>=20' } }).map((c) => c.severity)).toEqual(['breaking']);
  });

  it('breaks on any Node version the release allowed that the range now refuses, not only its oldest', () => {
    const node = (range: string) => comparePackage('martech-contracts', released, { ...released, engines: { node: range } }).map((c) => `${c.severity} ${c.message}`);
    const lost = (span: string) => `projects on Node ${span} can no longer install or run the package`;
    expect(node('20.x')).toEqual([`breaking narrowed (>=20.19 → 20.x): ${lost('21.0.0 and later')}`]);
    expect(node('>=20.19 <22')).toEqual([`breaking narrowed (>=20.19 → >=20.19 <22): ${lost('22.0.0 and later')}`]);
    expect(node('^20.19.0 || >=24')).toEqual([`breaking narrowed (>=20.19 → ^20.19.0 || >=24): ${lost('21.0.0 up to, not including, 24.0.0')}`]);
    expect(node('>=20.19.0 <21 || >=22.12')).toEqual([`breaking narrowed (>=20.19 → >=20.19.0 <21 || >=22.12): ${lost('21.0.0 up to, not including, 22.12.0')}`]);
    // An upper end past today's Node still refuses the lines as they come out.
    expect(node('>=20.19 <99')).toEqual([`breaking narrowed (>=20.19 → >=20.19 <99): ${lost('99.0.0 and later')}`]);
    // A range no version satisfies refuses them all (it threw).
    expect(node('>=24 <22')).toEqual(['breaking narrowed (>=20.19 → >=24 <22) to no Node version at all: no project can install or run the package']);
    // A version at semver's largest major: the step after it cannot be read, and the check threw (found 2026-12-02).
    expect(node('>=9007199254740991')).toEqual([`breaking raised (>=20.19 → >=9007199254740991): ${lost('20.19.0 up to, not including, 9007199254740991.0.0')}`]);
  });

  it('reads a range as npm does: a space after the operator, a range written otherwise', () => {
    expect(found({ ...released, engines: { node: '>= 22' } })).toEqual(['breaking node: package.json engines.node raised (>=20.19 → >= 22)']);
    // The same versions written another way are no change.
    expect(found({ ...released, engines: { node: '>= 20.19.0' } })).toEqual([]);
  });

  it('breaks on a peer dependency version the release took and the range now refuses, or a peer now required; lists the rest', () => {
    const peered = { ...released, peerDependencies: { '@stoplight/prism-http': '~5.12.0', ajv: '^8.17.0' }, peerDependenciesMeta: { '@stoplight/prism-http': { optional: true }, ajv: { optional: true } } };
    const peers = (after: Parameters<typeof comparePackage>[2]) => comparePackage('martech-contracts', peered, { ...released, ...after }).map((c) => `${c.severity} ${c.vendor}: ${c.where} ${c.message.split(':')[0]}`);
    const meta = peered.peerDependenciesMeta;
    // Optional or not, npm refuses an install whose installed peer is outside the range.
    expect(peers({ peerDependencies: { '@stoplight/prism-http': '~5.13.0', ajv: '^8.17.0' }, peerDependenciesMeta: meta })).toEqual(['breaking peers: peer dependency `@stoplight/prism-http` narrowed (~5.12.0 → ~5.13.0)']);
    expect(peers({ peerDependencies: { '@stoplight/prism-http': '~5.12.0', ajv: '^8.17.0', 'ajv-formats': '^3.0.1' }, peerDependenciesMeta: { ajv: { optional: true }, 'ajv-formats': { optional: true } } })).toEqual([
      'breaking peers: peer dependency `@stoplight/prism-http` is no longer optional (~5.12.0)',
      'info peers: peer dependency `ajv-formats` is new, optional (^3.0.1)',
    ]);
    expect(peers({ peerDependencies: { '@stoplight/prism-http': '~5.12.0', ajv: '^8.17.0', yaml: '^2' }, peerDependenciesMeta: meta })).toEqual(['breaking peers: peer dependency `yaml` is new and not optional (^2)']);
    expect(peers({ peerDependencies: { '@stoplight/prism-http': '^5.12.0' }, peerDependenciesMeta: meta })).toEqual(['info peers: peer dependency `@stoplight/prism-http` widened (~5.12.0 → ^5.12.0)', 'info peers: peer dependency `ajv` is no longer a peer dependency']);
    // The same versions written another way are no change.
    expect(peers({ peerDependencies: { '@stoplight/prism-http': '>=5.12.0 <5.13.0-0', ajv: '^8.17.0' }, peerDependenciesMeta: meta })).toEqual([]);
    expect(promisesProblem({ peerDependencies: { ajv: 8 } })).toMatch(/^"peerDependencies" must be/);
  });

  it('names a recorded bin or engines it cannot read', () => {
    expect(promisesProblem({ bin: 3 })).toMatch(/^"bin" must be/);
    expect(promisesProblem({ engines: { node: 20 } })).toMatch(/^"engines" must be/);
    expect(promisesProblem(released)).toBeUndefined();
  });
});
