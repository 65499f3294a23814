/** package.json's commands and Node range against the release's. */
import { describe, expect, it } from 'vitest';
import { comparePackage, lowest, promisesProblem } from './package-surface.js';

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

  it('lists a lowered range, and leaves a range it cannot read, or one that keeps its oldest version, to a person', () => {
    expect(found({ ...released, engines: { node: '>=18' } })).toEqual(['info node: package.json engines.node lowered (>=20.19 → >=18)']);
    expect(found({ ...released, engines: { node: '>=20.19 <25' } }).map((line) => line.split(' ')[0])).toEqual(['warning']);
    expect(found({ ...released, engines: { node: 'lts/*' } }).map((line) => line.split(' ')[0])).toEqual(['warning']);
    // A Node range where the release had none narrows it.
    expect(comparePackage('p', { bin: {} }, { bin: {}, engines: { node: '>=20' } }).map((c) => c.severity)).toEqual(['breaking']);
  });

  it('reads the oldest version of the range forms engines fields use', () => {
    expect(lowest('>=20.19')).toEqual([20, 19, 0]);
    expect(lowest('^20.19.0 || >=22.12')).toEqual([20, 19, 0]);
    expect(lowest('>20')).toEqual([21, 0, 0]);
    expect(lowest('20.x')).toEqual([20, 0, 0]);
    expect(lowest('*')).toEqual([0, 0, 0]);
    expect(lowest('lts/*')).toBeUndefined();
  });

  it('names a recorded bin or engines it cannot read', () => {
    expect(promisesProblem({ bin: 3 })).toMatch(/^"bin" must be/);
    expect(promisesProblem({ engines: { node: 20 } })).toMatch(/^"engines" must be/);
    expect(promisesProblem(released)).toBeUndefined();
  });
});
