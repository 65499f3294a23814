/**
 * A command's flags npm took (typed before `--`) are named, for each command this package's npm
 * scripts run: `npm run record xonvo --out x.har` said "name one vendor to record", and
 * `npm run traffic xonvo x.har --server …` checked the recording without the server.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { npmTookProblem } from './npm-taken.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The command as npm runs this package's `script`, with `settings` as npm's own (npm_config_*), and nothing else of npm's. */
function asNpmScript(script: string, command: string[], settings: Record<string, string>) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('npm_')));
  const child = spawn(process.execPath, ['--import', 'tsx', ...command], { cwd: root, env: { ...env, INIT_CWD: root, npm_lifecycle_event: script, ...settings }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  return new Promise<{ code: number | null; output: string }>((resolve) => child.on('close', (code) => resolve({ code, output })));
}

describe('flags npm took', () => {
  it('are named by record, webhook and traffic, each with the way to pass them, before anything else is read', async () => {
    const cli = join(root, 'src/cli.ts');
    const [record, webhook, traffic] = await Promise.all([
      asNpmScript('record', [cli, 'record', 'xonvo', 'x.har'], { npm_config_out: 'true' }),
      asNpmScript('webhook', [cli, 'webhook', 'placewise', 'member_created', 'http://127.0.0.1:9'], { npm_config_to: 'true', npm_config_secret: 'true' }),
      asNpmScript('traffic', [join(root, 'scripts/traffic.ts'), 'xonvo', 'x.har', 'https://sandbox.example'], { npm_config_server: 'true' }),
    ]);
    expect(record).toMatchObject({ code: 2, output: expect.stringContaining("npm took --out as its own setting, so record did not get it: put record's flags after --, as in npm run record -- --out <value>") });
    expect(webhook).toMatchObject({ code: 2, output: expect.stringContaining("npm took --to, --secret as its own settings, so webhook did not get them: put webhook's flags after --, as in npm run webhook -- --to <value>") });
    expect(traffic).toMatchObject({ code: 2, output: expect.stringContaining("npm took --server as its own setting, so traffic did not get it: put traffic's flags after --, as in npm run traffic -- --server <value>") });
  }, 60_000);

  it("leave alone npm's own settings, a flag given after -- too, a consumer's script and a run not by npm", () => {
    const flags = { out: { type: 'string' }, force: { type: 'boolean' }, json: { type: 'boolean' }, stateless: { type: 'boolean' } } as const;
    const npm = { npm_lifecycle_event: 'record' };
    // In a user's .npmrc, force and json are in every run's environment: a refusal would ask for --force.
    expect(npmTookProblem('record', ['record'], flags, ['xonvo'], { ...npm, npm_config_force: 'true', npm_config_json: 'true' }, root)).toBeUndefined();
    expect(npmTookProblem('record', ['record'], flags, ['xonvo', '--out', 'x.har'], { ...npm, npm_config_out: 'true' }, root)).toBeUndefined();
    expect(npmTookProblem('record', ['record'], flags, ['xonvo', '--out=x.har'], { ...npm, npm_config_out: 'true' }, root)).toBeUndefined();
    expect(npmTookProblem('record', ['record'], flags, ['xonvo'], { npm_config_out: 'true' }, root)).toBeUndefined();
    expect(npmTookProblem('the mock', ['start'], flags, [], { npm_lifecycle_event: 'start', npm_config_stateless: 'true' }, root)).toBe(
      "npm took --stateless as its own setting, so the mock did not get it: put the mock's flags after --, as in npm start -- --stateless",
    );
    const consumer = mkdtempSync(join(tmpdir(), 'martech-consumer-'));
    try {
      expect(npmTookProblem('record', ['record'], flags, ['xonvo'], { ...npm, npm_config_out: 'true' }, consumer)).toBeUndefined();
    } finally {
      rmSync(consumer, { recursive: true, force: true });
    }
  });
});
