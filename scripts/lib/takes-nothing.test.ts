/**
 * Scripts that take nothing from their command line refuse what was typed for them before their
 * first command runs: `npm run release:version --snapshot` ran the whole release without it, and
 * `npm run release:version -- --snapshot` handed it to the API report, after `changeset version`.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { realNpm } from './real-npm.js';
import { takesNothingProblem, type TypedSources } from './takes-nothing.js';
import { root } from './vendors.js';

const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

const CHAIN = 'tsx scripts/takes-nothing.ts && tsx scripts/build.ts --check && changeset version && tsx scripts/breaking.ts --api-report';
const npmRun = (settings: Record<string, string>) => ({ npm_lifecycle_event: 'release:version', npm_lifecycle_script: CHAIN, ...settings });
/** npm's table, its start and its files, as given: npm knows `json` and `loglevel`, nothing else here. */
const sources = (over: TypedSources = {}): TypedSources => ({
  started: () => ({}),
  configured: (settings) => Object.fromEntries(settings.map((name) => [name, 'undefined'])),
  known: (variable) => ['npm_config_json', 'npm_config_loglevel', 'npm_config_cache'].includes(variable),
  appended: () => '',
  ...over,
});

describe('a script that takes nothing', () => {
  it('refuses a flag npm does not know, typed on its line, naming it and saying nothing ran', () => {
    expect(takesNothingProblem('release:version', npmRun({ npm_config_snapshot: 'true', npm_config_baseline: 'x' }), sources())).toBe(
      `npm took --snapshot, --baseline, no settings of npm's (it warned "Unknown cli config"), and release:version takes no flags: nothing was run; it runs 4 commands (package.json's "release:version"): run the one you meant on its own`,
    );
  });

  it("leaves alone npm's own settings, npm's derived ones, and a flag an outer npm or npm's files gave", () => {
    const env = npmRun({ npm_config_json: 'true', npm_config_loglevel: 'silent', npm_config_cache: '/c', npm_config_local_prefix: root, npm_config_npm_version: '11', npm_config_host: 'h', npm_config_nodedir: '/usr' });
    const given = sources({ started: () => ({ npm_config_host: 'h' }), configured: (settings) => Object.fromEntries(settings.map((name) => [name, name === 'nodedir' ? '/usr' : 'undefined'])) });
    expect(takesNothingProblem('release:version', env, given)).toBeUndefined();
    // A .npmrc's `my-custom=1` and `my_custom=1` are both npm_config_my_custom; npm answers each by its own name.
    for (const name of ['my-custom', 'my_custom']) {
      const file = sources({ configured: (settings) => Object.fromEntries(settings.map((setting) => [setting, setting === name ? '1' : 'undefined'])) });
      expect(takesNothingProblem('release:version', npmRun({ npm_config_my_custom: '1' }), file), name).toBeUndefined();
    }
    // Where npm's table cannot be read, nothing is called typed.
    expect(takesNothingProblem('release:version', npmRun({ npm_config_snapshot: 'true' }), sources({ known: () => undefined }))).toBeUndefined();
  });

  it('refuses what followed --, naming its options only (a value may be a secret) and the last command npm would have given it to', () => {
    const problem = takesNothingProblem('release:version', npmRun({}), sources({ appended: () => '--snapshot=next --token s3cret positional' }));
    expect(problem).toBe(
      `what followed -- (--snapshot, --token) is not for release:version, which takes no arguments (npm would have added it to the last command only, tsx scripts/breaking.ts --api-report, after the others had run): nothing was run; it runs 4 commands (package.json's "release:version"): run the one you meant on its own`,
    );
    expect(problem).not.toMatch(/s3cret|next|positional/);
  });

  it("release:version's first command is the check, so it runs before anything else", () => {
    expect(scripts['release:version']!.split(' && ')[0]).toBe('tsx scripts/takes-nothing.ts');
  });

  it('with the real npm: the head of the chain refuses a flag typed before -- and what followed --, and the chain goes on without them', async () => {
    // release:version's own head, in a scratch package whose next command only says it ran: the real chain would release.
    const [head] = scripts['release:version']!.split(' && ');
    const dir = mkdtempSync(join(tmpdir(), 'takes-nothing-'));
    try {
      symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
      const step = `${head!.replace('scripts/', `${root}scripts/`)} && node -e "require('fs').writeFileSync('went-on', '')" && node -e "console.log(process.argv.slice(1))"`;
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'scratch', private: true, scripts: { 'release:version': step } }));
      const wentOn = () => existsSync(join(dir, 'went-on'));
      const before = await realNpm(['run', 'release:version', '--snapshot'], dir);
      expect(before).toMatchObject({ code: 2, output: expect.stringContaining('release:version: npm took --snapshot, no setting of npm\'s (it warned "Unknown cli config"), and release:version takes no flags: nothing was run; it runs 3 commands') });
      expect(wentOn()).toBe(false);
      const after = await realNpm(['run', 'release:version', '--', '--snapshot', 'next'], dir);
      expect(after).toMatchObject({ code: 2, output: expect.stringContaining(`release:version: what followed -- (--snapshot) is not for release:version, which takes no arguments (npm would have added it to the last command only, node -e "console.log(process.argv.slice(1))", after the others had run): nothing was run`) });
      expect(wentOn()).toBe(false);
      // An outer `npm run x --snapshot` whose script runs this one: npm started with it, no one typed it here.
      const inherited = await realNpm(['run', 'release:version', '--silent'], dir, { npm_config_snapshot: 'true' });
      expect(inherited).toMatchObject({ code: 0 });
      expect(wentOn()).toBe(true);
      // A key of the user's .npmrc that npm does not know reaches the script as a typed flag does: npm's files say it is theirs.
      rmSync(join(dir, 'went-on'));
      writeFileSync(join(dir, 'user.npmrc'), 'my-custom=1\n');
      const fromFile = await realNpm(['run', 'release:version', '--silent'], dir, { npm_config_userconfig: join(dir, 'user.npmrc') });
      expect(fromFile).toMatchObject({ code: 0 });
      expect(wentOn()).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('with the real npm: build:lib (what prepack runs) refuses a flag typed before -- and what followed --, before it clears dist/', async () => {
    const [typed, after] = await Promise.all([realNpm(['run', 'build:lib', '--watch'], root), realNpm(['run', 'build:lib', '--', '--watch'], root)]);
    expect(typed).toMatchObject({ code: 2, output: expect.stringContaining('build:lib: npm took --watch, no setting of npm\'s (it warned "Unknown cli config"), and build:lib takes no flags: nothing was run\n') });
    expect(after).toMatchObject({ code: 2, output: expect.stringContaining('build:lib: what followed -- (--watch) is not for build:lib, which takes no arguments: nothing was run\n') });
    expect(`${typed.output}${after.output}`).not.toContain('into a cleared dist/');
  }, 60_000);

  it('with the real npm: prepack refuses a flag typed before --, which an inner npm run would have inherited unseen', async () => {
    const typed = await realNpm(['run', 'prepack', '--watch'], root);
    expect(typed).toMatchObject({ code: 2, output: expect.stringContaining('prepack: npm took --watch, no setting of npm\'s (it warned "Unknown cli config"), and prepack takes no flags: nothing was run\n') });
    expect(typed.output).not.toContain('into a cleared dist/');
  }, 60_000);
});
