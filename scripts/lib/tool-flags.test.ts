/**
 * Scripts that hand their flags to a tool refuse a flag the tool would not get: npm keeps one typed
 * before `--` (`npm run lint --skip-rule=info-contact` linted with every rule), and a script of two tools would give
 * what follows `--` to the second alone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { realNpm } from './real-npm.js';
import type { TypedSources } from './takes-nothing.js';
import { HEAD, toolFlagsProblem } from './tool-flags.js';
import { root } from './vendors.js';

const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const npmRun = (script: string, settings: Record<string, string> = {}) => ({ npm_lifecycle_event: script, npm_lifecycle_script: scripts[script], ...settings });
/** npm's table, its start and its files, as given: npm knows `json` only here. */
const sources = (over: TypedSources = {}): TypedSources => ({
  started: () => ({}),
  configured: (settings) => Object.fromEntries(settings.map((name) => [name, 'undefined'])),
  known: (variable) => variable === 'npm_config_json',
  appended: () => '',
  ...over,
});

describe('a script that hands its flags to a tool', () => {
  it('is headed by the check: every script that runs one of these tools', () => {
    const tools = Object.entries(scripts).filter(([, line]) => /(^|&& )(\w+=\S+ )*(redocly lint|tsc -p|vitest run|attw|stryker run)\b/.test(line));
    expect(tools.map(([name]) => name).sort()).toEqual(['check:package', 'lint', 'test:contract', 'test:mutation', 'typecheck']);
    for (const [, line] of tools) expect(line.startsWith(`${HEAD} && `)).toBe(true);
  });

  it('refuses a flag npm kept, naming the tool and the line to type instead (a value by name only: it may be a secret)', () => {
    expect(toolFlagsProblem('lint', npmRun('lint', { npm_config_format: 'json', npm_config_skip_rule: 'true' }), sources())).toBe(
      `npm took --format, --skip-rule, no settings of npm's (it warned "Unknown cli config"), so redocly lint did not get them: nothing was run; put lint's flags after --, as in npm run lint -- --format <value> --skip-rule`,
    );
  });

  it("leaves npm's own settings, and what followed -- to a script of one tool, to npm and the tool", () => {
    expect(toolFlagsProblem('lint', npmRun('lint', { npm_config_json: 'true' }), sources({ appended: () => '--format json' }))).toBeUndefined();
  });

  it('refuses either way of typing for a script of two tools, neither of which would get it alone', () => {
    const steps = `package.json's "check:package": attw --pack --profile esm-only; publint --strict`;
    expect(toolFlagsProblem('check:package', npmRun('check:package'), sources({ appended: () => '--strict=false secret-value' }))).toBe(
      `what followed -- (--strict) would reach the last of check:package's 2 commands only (publint): nothing was run; run the one you meant on its own, with npx (${steps})`,
    );
    expect(toolFlagsProblem('test:mutation', npmRun('test:mutation', { npm_config_since: 'main' }), sources())).toBe(
      `npm took --since, no setting of npm's (it warned "Unknown cli config"), so stryker run did not get it: nothing was run; run the one you meant on its own, with npx (package.json's "test:mutation": STRYKER_SCOPE=src stryker run; STRYKER_SCOPE=harness stryker run)`,
    );
  });

  it('with the real npm: lint and check:package refuse before their tool runs', async () => {
    const [typed, after] = await Promise.all([realNpm(['run', 'lint', '--skip-rule=info-contact'], root), realNpm(['run', 'check:package', '--', '--pack'], root)]);
    expect(typed).toMatchObject({ code: 2, output: expect.stringContaining('lint: npm took --skip-rule, no setting of npm\'s (it warned "Unknown cli config"), so redocly lint did not get it: nothing was run; put lint\'s flags after --, as in npm run lint -- --skip-rule <value>\n') });
    expect(after).toMatchObject({ code: 2, output: expect.stringContaining("check:package: what followed -- (--pack) would reach the last of check:package's 2 commands only (publint)") });
    // redocly says "validated" of each spec; check:package's first step (an echo) says what attw does.
    expect(`${typed.output}${after.output}`).not.toMatch(/validated|^check:package: attw packs the package/m);
  }, 60_000);
});
