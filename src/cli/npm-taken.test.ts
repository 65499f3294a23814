/**
 * A command's flags npm took (typed before `--`) are named, for each command this package's npm
 * scripts run: `npm run record xonvo --out x.har` said "name one vendor to record", and
 * `npm run traffic xonvo x.har --server …` checked the recording without the server.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** `npm <args>` run for real in `cwd`, with nothing of an outer npm's in its environment but `env`. */
function realNpm(args: string[], env: Record<string, string> = {}, cwd = root) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
  const child = spawn('npm', args, { cwd, env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const done = new Promise<{ code: number | null; output: string }>((resolve) => child.on('close', (code) => resolve({ code, output })));
  return { child, done, output: () => output };
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
    expect(npmTookProblem('the mock', ['start'], flags, [], { npm_lifecycle_event: 'start', npm_config_stateless: 'true' }, root, { started: () => ({}) })).toBe(
      "npm took --stateless as its own setting, so the mock did not get it: put the mock's flags after --, as in npm start -- --stateless",
    );
    const consumer = mkdtempSync(join(tmpdir(), 'martech-consumer-'));
    try {
      expect(npmTookProblem('record', ['record'], flags, ['xonvo'], { ...npm, npm_config_out: 'true' }, consumer)).toBeUndefined();
    } finally {
      rmSync(consumer, { recursive: true, force: true });
    }
  });

  // An outer `npm run x --host=0.0.0.0` whose script runs `npm start` here: npm hands the inner npm
  // its settings in the environment, and the inner npm hands them on (MOCK-143's left case, TEST-21).
  it('leave alone a setting npm already had when it started: an outer npm left it, no one typed it here', () => {
    const flags = { host: { type: 'string' }, seed: { type: 'string' } } as const;
    const env = { npm_lifecycle_event: 'start', npm_config_host: '0.0.0.0' };
    expect(npmTookProblem('the mock', ['start'], flags, [], env, root, { started: () => ({ npm_config_host: '0.0.0.0' }) })).toBeUndefined();
    // Typed on the inner npm's line over the inherited value, or beside it: npm's.
    expect(npmTookProblem('the mock', ['start'], flags, [], env, root, { started: () => ({ npm_config_host: '::1' }) })).toMatch(/^npm took --host as its own setting/);
    expect(npmTookProblem('the mock', ['start'], flags, [], { ...env, npm_config_seed: '7' }, root, { started: () => ({ npm_config_host: '0.0.0.0' }) })).toMatch(/^npm took --seed as its own setting/);
    // Where npm's start cannot be read, it refuses, as before, and says what an inherited one would mean.
    expect(npmTookProblem('the mock', ['start'], flags, [], env, root, { started: () => undefined })).toBe(
      "npm took --host as its own setting, so the mock did not get it: put the mock's flags after --, as in npm start -- --host <value>; not typed? then npm_config_host came from npm's environment (an outer npm run … --host leaves it set): unset it",
    );
  });

  it('with the real npm: a flag typed before -- is refused; the same setting left by an outer npm run is not', async () => {
    const outer = mkdtempSync(join(tmpdir(), 'martech-outer-npm-'));
    const log = join(outer, 'mock.log');
    const mock = 'xonvo --port-base 0 --gateway-port 0 --quiet';
    // A user's own script that runs `npm start` in a clone, itself run with --host for its own server.
    writeFileSync(join(outer, 'package.json'), JSON.stringify({ name: 'outer', private: true, scripts: { dev: `cd "$ROOT" && npm start -- ${mock} > "$LOG" 2>&1` } }));
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('npm_')));
    const typed = spawn('npm', ['start', '--host=0.0.0.0', '--', ...mock.split(' ')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const inherited = spawn('npm', ['run', 'dev', '--host=0.0.0.0'], { cwd: outer, env: { ...env, ROOT: root, LOG: log }, stdio: 'ignore', detached: true });
    try {
      let typedOutput = '';
      typed.stdout.on('data', (c) => (typedOutput += c));
      typed.stderr.on('data', (c) => (typedOutput += c));
      await new Promise((resolve) => typed.on('close', resolve));
      expect(typedOutput).toContain("npm took --host as its own setting, so the mock did not get it: put the mock's flags after --, as in npm start -- --host <value>\n");
      let output = '';
      while (!output.includes('Ctrl-C stops')) {
        if (inherited.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 100));
        output = existsSync(log) ? readFileSync(log, 'utf8') : '';
      }
      expect(output).not.toContain('npm took');
      expect(output).toContain('Ctrl-C stops');
    } finally {
      for (const child of [typed, inherited]) {
        try {
          process.kill(-child.pid!, 'SIGTERM');
        } catch {
          // The group has ended.
        }
      }
      rmSync(outer, { recursive: true, force: true });
    }
  }, 60_000);

  it("with the real npm: each script's flags typed before -- are refused, with the line to type; the same settings left by an outer npm are not", async () => {
    const [dredd, build, breaking, docs, inheritedDocs] = await Promise.all([
      realNpm(['run', 'test:dredd', '--report=r.json', '--', 'nosuchvendor']).done,
      realNpm(['run', 'build', '--check', '--', 'nosuchvendor']).done,
      realNpm(['run', 'breaking', '--no-types', '--', '--bogus']).done,
      realNpm(['run', 'docs', '--out=site', '--', '--bogus']).done,
      // An outer `npm run x --out=site` whose script runs `npm run docs` here: npm starts with it.
      realNpm(['run', 'docs', '--', '--bogus'], { npm_config_out: 'site' }).done,
    ]);
    expect(dredd).toMatchObject({ code: 2, output: expect.stringContaining("test:dredd: npm took --report as its own setting, so test:dredd did not get it: put test:dredd's flags after --, as in npm run test:dredd -- --report <value>\n") });
    expect(build).toMatchObject({ code: 2, output: expect.stringContaining("build: npm took --check as its own setting, so build did not get it: put build's flags after --, as in npm run build -- nosuchvendor --check\n") });
    expect(breaking).toMatchObject({ code: 2, output: expect.stringContaining("breaking: npm took --no-types as its own setting, so breaking did not get it: put breaking's flags after --, as in npm run breaking -- --bogus --no-types\n") });
    expect(docs).toMatchObject({ code: 2, output: expect.stringContaining("docs: npm took --out as its own setting, so docs did not get it: put docs's flags after --, as in npm run docs -- --out <value>\n") });
    expect(inheritedDocs).toMatchObject({ code: 2, output: expect.stringContaining("docs: Unknown option '--bogus'") });
    expect(inheritedDocs.output).not.toContain('npm took');
  }, 120_000);

  it("with the real npm: npm's own --json and --force typed before -- are refused, the same setting from a user's .npmrc is not", async () => {
    const home = mkdtempSync(join(tmpdir(), 'martech-npmrc-'));
    const npmrc = join(home, '.npmrc');
    writeFileSync(npmrc, 'json=true\n');
    try {
      const [typed, fromFile] = await Promise.all([
        realNpm(['run', 'traffic', 'xonvo', 'missing.har', '--json']).done,
        realNpm(['run', 'traffic', 'xonvo', 'missing.har'], { npm_config_userconfig: npmrc }).done,
      ]);
      expect(typed).toMatchObject({ code: 2, output: expect.stringContaining("traffic: npm took --json as its own setting, so traffic did not get it: put traffic's flags after --, as in npm run traffic -- xonvo missing.har --json\n") });
      expect(fromFile.output).not.toContain('npm took');
      expect(fromFile.output).toContain('missing.har does not exist');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }, 60_000);

  it("with the real npm: webhook's --to, which npm reads as its --token-description, is named", async () => {
    const { code, output } = await realNpm(['run', 'webhook', 'placewise', 'member_created', '--to=http://127.0.0.1:9/hook', '--', '--secret', 's']).done;
    expect(code).toBe(2);
    expect(output).toContain("webhook: npm took --to as its own setting, so webhook did not get it: put webhook's flags after --, as in npm run webhook -- --to <value>\n");
  }, 60_000);

  it('with the real npm: record typed in a subfolder names the flag npm took, as in the root', async () => {
    const { code, output } = await realNpm(['run', 'record', 'xonvo', '--out=x.har'], {}, join(root, 'docs')).done;
    expect(code).toBe(2);
    expect(output).toContain("record: npm took --out as its own setting, so record did not get it: put record's flags after --, as in npm run record -- --out <value>\n");
    expect(existsSync(join(root, 'docs', 'x.har'))).toBe(false);
  }, 60_000);

  it("with the real npm: `npm start --quiet` says npm's log level is not the mock's --quiet, and serves; an inherited level says nothing", async () => {
    const mock = ['--', 'xonvo', '--port-base', '0', '--gateway-port', '0'];
    const runs = [realNpm(['start', '--quiet', ...mock]), realNpm(['start', ...mock], { npm_config_loglevel: 'warn' })];
    try {
      for (const run of runs) {
        while (!run.output().includes('Ctrl-C stops') && run.child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
      }
      const [typed, inherited] = runs.map((run) => run.output());
      expect(typed).toContain("npm's loglevel is warn, set on its command line (--quiet, -q or --loglevel warn: npm cannot say which): that is npm's own, so the mock did not get --quiet; for the mock's, put it after --, as in npm start -- --quiet\n");
      expect(typed).toContain('Ctrl-C stops');
      expect(inherited).toContain('Ctrl-C stops');
      expect(inherited).not.toContain("npm's loglevel");
    } finally {
      for (const { child } of runs) {
        try {
          process.kill(-child.pid!, 'SIGTERM');
        } catch {
          // The group has ended.
        }
      }
    }
  }, 60_000);

  it("call npm's own settings taken only where npm's files do not give them, and where npm cannot be asked leave them alone", () => {
    const flags = { out: { type: 'string' }, force: { type: 'boolean' } } as const;
    const env = { npm_lifecycle_event: 'record', npm_config_force: 'true', npm_config_out: 'x.har' };
    const started = () => ({});
    const refusal = "npm took --out, --force as its own settings, so record did not get them: put record's flags after --, as in npm run record -- --out <value>";
    expect(npmTookProblem('record', ['record'], flags, ['xonvo'], env, root, { started, configured: () => ({ force: 'false', out: 'undefined' }) })).toBe(refusal);
    expect(npmTookProblem('record', ['record'], flags, ['xonvo'], env, root, { started, configured: () => ({ force: 'true', out: 'x.har' }) })).toBeUndefined();
    expect(npmTookProblem('record', ['record'], flags, ['xonvo'], env, root, { started, configured: () => undefined })).toBe(
      "npm took --out as its own setting, so record did not get it: put record's flags after --, as in npm run record -- --out <value>",
    );
    // A switch alone: the line is shown again as typed, positionals and all, options by name only (a value may be a secret).
    expect(npmTookProblem('record', ['record'], flags, ['xonvo', '--out', 'a b.har'], { npm_lifecycle_event: 'record', npm_config_force: 'true' }, root, { started, configured: () => ({ force: 'false' }) })).toBe(
      "npm took --force as its own setting, so record did not get it: put record's flags after --, as in npm run record -- xonvo --out <value> --force",
    );
  });

  it("tell of npm's log level set on its command line, never from its files or where npm cannot be asked, and run on", () => {
    const flags = { quiet: { type: 'boolean' }, stateless: { type: 'boolean' } } as const;
    const env = { npm_lifecycle_event: 'start', npm_config_loglevel: 'warn' };
    const notes: string[] = [];
    const note = (line: string) => void notes.push(line);
    const started = () => ({});
    expect(npmTookProblem('the mock', ['start'], flags, [], env, root, { started, configured: () => ({ loglevel: 'notice' }), note })).toBeUndefined();
    expect(notes).toEqual(["npm's loglevel is warn, set on its command line (--quiet, -q or --loglevel warn: npm cannot say which): that is npm's own, so the mock did not get --quiet; for the mock's, put it after --, as in npm start -- --quiet"]);
    notes.length = 0;
    expect(npmTookProblem('the mock', ['start'], flags, [], env, root, { started, configured: () => ({ loglevel: 'warn' }), note })).toBeUndefined();
    expect(npmTookProblem('the mock', ['start'], flags, [], env, root, { started, configured: () => undefined, note })).toBeUndefined();
    expect(npmTookProblem('the mock', ['start'], flags, ['--quiet'], env, root, { started, configured: () => ({ loglevel: 'notice' }), note })).toBeUndefined();
    expect(npmTookProblem('the mock', ['start'], flags, [], { ...env, npm_config_loglevel: 'silent' }, root, { started, configured: () => ({ loglevel: 'notice' }), note })).toBeUndefined();
    expect(notes).toEqual([]);
    // Beside a flag that is refused, the note is given too.
    expect(npmTookProblem('the mock', ['start'], flags, [], { ...env, npm_config_stateless: 'true' }, root, { started, configured: () => ({ loglevel: 'notice', stateless: 'undefined' }), note })).toMatch(/^npm took --stateless/);
    expect(notes).toHaveLength(1);
  });
});
