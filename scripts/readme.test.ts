/**
 * What the README tells a new user, held to what the repository does: a walkthrough of it found
 * a script it never named, examples that could not run in a clone as written, and a default it
 * got wrong; a second found a client example that did not compile and one that got a 401, so
 * every client example is now type-checked and run: against the mock, or, where the mock cannot
 * show what the example is for (a retry, drift, a webhook), against a server of its own.
 */
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import ts from 'typescript';
import { describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../src/errors.js';
import { createFootprintsClient } from '../src/footprints.js';
import { createImprzdClient } from '../src/imprzd.js';
import { parseMockArgs } from '../src/cli/commands.js';
import { startMocks } from '../src/mock/index.js';
import { DEFAULT_TIMEOUT_MS } from '../src/options.js';
import { createPerxClient } from '../src/perx.js';
import { createPlacewiseClient, verifyPlacewiseWebhook, WebhookError } from '../src/placewise.js';
import { createHarRecorder, SHOWN_WHOLE_UP_TO, type HarEntry } from '../src/record/har.js';
import { createXonvoClient } from '../src/xonvo.js';
import { startDriftFixture } from '../contract-tests/e2e/drift-fixture.js';
import { violations } from '../contract-tests/e2e/drift-violations.js';
import { stepChecks } from './lib/test-summary.js';
import { vendors } from '../src/vendors.js';
import { loadSpec } from '../contract-tests/lib/spec.js';
import { analyse } from './traffic/analyse.js';
import { readHar } from './traffic/har.js';
import { placewiseWebhookExamples } from '../src/webhooks/placewise.js';
import { sendWebhook } from '../src/webhooks/send.js';

// README_UNDER_TEST checks a proposed README text (a copy) before it replaces the real one.
const readme = readFileSync(process.env.README_UNDER_TEST ?? new URL('../README.md', import.meta.url), 'utf8');
const root = fileURLToPath(new URL('..', import.meta.url));

interface Example {
  /** The README line the block's first line of code is on. */
  line: number;
  code: string;
}

/** The ```ts blocks from the line `from` up to the line `to`. */
function examplesBetween(from: string, to: string): Example[] {
  const lines = readme.split('\n');
  const start = lines.indexOf(from);
  const end = lines.indexOf(to);
  const examples: Example[] = [];
  for (let at = start; at >= 0 && at < end; at += 1) {
    if (lines[at] !== '```ts') continue;
    const close = lines.indexOf('```', at + 1);
    examples.push({ line: at + 2, code: lines.slice(at + 1, close).join('\n') });
    at = close;
  }
  return examples;
}

/** The ```ts blocks of the client documentation, from "## Using a client" up to "## The mock". */
function clientExamples(): Example[] {
  return examplesBetween('## Using a client', '## The mock');
}

/**
 * The ```ts blocks of "From your own tests", each cut into the files it shows: a block's later
 * line `// <name>.ts` begins another file (the Playwright block holds its config and its setup).
 */
function mockExamples(): Example[] {
  return examplesBetween('### From your own tests', '### Speed (`npm run bench`)').flatMap((example) => {
    const lines = example.code.split('\n');
    const starts = [0, ...lines.flatMap((line, at) => (at > 0 && /^\/\/ [\w./-]+\.ts\b/.test(line) ? [at] : []))];
    return starts.map((from, index) => ({ line: example.line + from, code: lines.slice(from, starts[index + 1]).join('\n') }));
  });
}

// What the examples leave to the reader: the values they bring (credentials, ids, a logger, a
// client made in an earlier example) and the factory the table names for each entry point. Node's
// own modules are not among them: an example that uses one must import it, as a reader copies it.
const READER_SUPPLIES: Record<string, string> = {
  clientId: 'declare const clientId: string;',
  clientSecret: 'declare const clientSecret: string;',
  username: 'declare const username: string;',
  password: 'declare const password: string;',
  token: 'declare const token: string;',
  fileId: 'declare const fileId: string;',
  userIdentifier: 'declare const userIdentifier: string;',
  log: 'declare const log: { warn(message: string): void };',
  imprzd: "declare const imprzd: import('martech-contracts/imprzd').ImprzdClient;",
  ...Object.fromEntries(
    (['xonvo', 'footprints', 'perx', 'placewise', 'imprzd'] as const).map((vendor) => {
      const factory = `create${vendor[0]!.toUpperCase()}${vendor.slice(1)}Client`;
      return [factory, `import { ${factory} } from 'martech-contracts/${vendor}';`];
    }),
  ),
};

/** The lines an example needs before it: what it uses of READER_SUPPLIES and does not define or import itself. */
function preludeOf(code: string): string[] {
  const uses = (name: string) => new RegExp(`\\b${name}\\b`).test(code);
  return ['export {};', ...Object.entries(READER_SUPPLIES).filter(([name]) => uses(name) && !defines(code, name)).map(([, line]) => line)];
}

/** Whether an example declares or imports `name` itself. */
function defines(code: string, name: string): boolean {
  return new RegExp(`\\b(?:const|let|var|function|class)\\s+${name}\\b|^import[^;]*\\b${name}\\b`, 'm').test(code);
}

/** Each example's type errors, strict, as a consumer of the package's entry points gets them, by README line. */
function typeErrors(examples: Example[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'readme-examples-'));
  // A reader's project has the packages the examples import (vitest, @playwright/test) installed.
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  try {
    const files = examples.map((example) => {
      const prelude = preludeOf(example.code);
      const file = join(dir, `line-${example.line}.mts`);
      writeFileSync(file, `${prelude.join('\n')}\n${example.code}\n`);
      return { file, example, offset: prelude.length };
    });
    const program = ts.createProgram(
      files.map(({ file }) => file),
      {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
        types: ['node'],
        typeRoots: [join(root, 'node_modules/@types')],
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        // The entry points as package.json exports them, read from src/ so that dist/ need not be built.
        baseUrl: root,
        paths: { 'martech-contracts/mock': ['src/mock/index.ts'], 'martech-contracts/*': ['src/*.ts'] },
      },
    );
    return ts.getPreEmitDiagnostics(program).flatMap((diagnostic) => {
      const source = files.find(({ file }) => diagnostic.file?.fileName === file);
      if (!source || diagnostic.start === undefined) return [];
      const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start);
      return [`README line ${source.example.line + line - source.offset}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`];
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
};
const scripts = Object.keys(manifest.scripts);

const FACTORIES = { xonvo: createXonvoClient, footprints: createFootprintsClient, perx: createPerxClient, placewise: createPlacewiseClient, imprzd: createImprzdClient };

/**
 * What an example runs with: READER_SUPPLIES with values the mock accepts (66666 is a Perx user its
 * examples hold), each factory sending to the mock and recording into `exchanges`, files written
 * into `dir`, and a console kept quiet.
 */
function runBindings(urls: Record<string, string>, dir: string, exchanges: HarEntry[]): Record<string, unknown> {
  const toMock = Object.fromEntries(
    Object.entries(FACTORIES).map(([vendor, factory]) => [
      `create${vendor[0]!.toUpperCase()}${vendor.slice(1)}Client`,
      ({ clubSlug: _, record, ...options }: { clubSlug?: string; record?: (entry: HarEntry) => void }) =>
        (factory as (options: object) => unknown)({ ...options, baseUrl: urls[vendor], record: (entry: HarEntry) => (exchanges.push(entry), record?.(entry)) }),
    ]),
  ) as Record<string, (options: object) => unknown>;
  const quiet = { log() {}, warn() {}, error() {} };
  return {
    ...toMock,
    clientId: 'app-id', clientSecret: 'app-secret', username: 'user', password: 'pass', token: 'jwt', fileId: 'abc', userIdentifier: '66666', log: quiet, console: quiet,
    imprzd: toMock.createImprzdClient!({ token: 'jwt' }),
    process: { env: { XONVO_USERNAME: 'user', XONVO_PASSWORD: 'pass' } },
    createHarRecorder: () => {
      const recorder = createHarRecorder();
      return { ...recorder, write: (file: string) => recorder.write(join(dir, file)) };
    },
    createWriteStream: (file: string) => createWriteStream(join(dir, file)),
    Writable,
  };
}

/**
 * Runs an example as a reader would, its imports taken from `bindings` (an import of anything else
 * fails it), and gives back what it exports (a webhook receiver's `POST`).
 */
async function run(example: Example, bindings: Record<string, unknown>): Promise<Record<string, unknown>> {
  const imported = [...example.code.matchAll(/^import \{([^}]*)\} from '[^']+';$/gm)].flatMap((m) => m[1]!.split(',').map((name) => name.trim()));
  expect(imported.filter((name) => !(name in bindings)), `README line ${example.line}: imports the run cannot supply`).toEqual([]);
  const code = example.code.replace(/^import .*;$/gm, '');
  const given = Object.entries(bindings).filter(([name]) => !defines(code, name));
  const exported = [...code.matchAll(/^export (?:async )?(?:function|const|class) (\w+)/gm)].map((m) => m[1]!);
  const js = ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } })
    .outputText.replace(/^export \{\};$/m, '')
    .replace(/^export (?=(?:async )?(?:function|const|class) )/gm, '');
  const AsyncFunction = (async () => {}).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<Record<string, unknown>>;
  return new AsyncFunction(...given.map(([name]) => name), `${js}\nreturn { ${exported.join(', ')} };`)(...given.map(([, value]) => value));
}

/**
 * How long one example may run: one that never ends (a promise nothing settles) fails with its
 * README line, and the mocks are stopped, where the test's own timeout named nothing and left
 * them listening, its temporary directory with them. README_EXAMPLE_MS shortens it for the test of this.
 */
const EXAMPLE_MS = Number(process.env.README_EXAMPLE_MS ?? 20_000);

async function within<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: did not end within ${EXAMPLE_MS} ms`)), EXAMPLE_MS)));
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

const makesCall = (example: Example) => /\.(GET|POST|PUT|PATCH|DELETE)\(/.test(example.code);
const isWebhookReceiver = (example: Example) => example.code.includes('verifyPlacewiseWebhook(');

/** The one client example holding `marker`: a test that runs it against something of its own must find it. */
function exampleWith(marker: string): Example {
  const found = clientExamples().filter((example) => example.code.includes(marker));
  expect(found.map((example) => example.line), `the client examples holding ${marker}`).toHaveLength(1);
  return found[0]!;
}

/** Runs `work` with a directory for the files an example writes, removed after. */
async function inScratch<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'readme-run-'));
  try {
    return await work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function listening(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The command lines of the README's ```sh blocks that begin with `command`, their comments left out. */
function shellLines(command: string): { line: number; text: string }[] {
  const lines = readme.split('\n');
  const found: { line: number; text: string }[] = [];
  for (let at = 0; at < lines.length; at += 1) {
    if (lines[at] !== '```sh') continue;
    const close = lines.indexOf('```', at + 1);
    for (let inside = at + 1; inside < close; inside += 1) {
      const text = lines[inside]!.replace(/\s+#.*$/, '').trim();
      if (text.startsWith(command)) found.push({ line: inside + 1, text });
    }
    at = close;
  }
  return found;
}


/**
 * A README shell line as a process: `npx martech-contracts …` runs the command line from src/ (npx
 * would run dist/), `npm run <script> -- …` runs what package.json's script runs, both typed in
 * `dir` (which gets the clone's node_modules, as a project that installed the package has).
 */
function shellCommand(text: string, dir: string): string[] {
  const [, npx, script, rest = ''] = /^(?:(npx martech-contracts)|npm run ([\w:]+) --)\s+(.*)$/.exec(text) ?? [];
  expect(npx ?? script, `a command line the test does not know how to run: ${text}`).toBeDefined();
  const words = npx ? ['node', '--import', 'tsx', 'src/cli.ts'] : manifest.scripts[script!]!.split(/\s+/);
  if (!existsSync(join(dir, 'node_modules'))) symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const command = words.flatMap((word, at) => {
    if (at === 0 && word === 'node') return [process.execPath];
    if (at === 0 && word === 'tsx') return [process.execPath, join(root, 'node_modules/tsx/dist/cli.mjs')];
    return [!word.startsWith('-') && existsSync(join(root, word)) ? join(root, word) : word];
  });
  return [...command, ...rest.split(/\s+/).filter(Boolean)];
}

interface ShellRun {
  output: () => string;
  waitFor: (text: string) => Promise<void>;
  stop: () => void;
  exited: Promise<number | null>;
}

/** Starts a README shell line (shellCommand) in `dir`. */
function startShellLine(text: string, dir: string): ShellRun {
  const [command, ...args] = shellCommand(text, dir);
  const child = spawn(command!, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = async (wanted: string) => {
    const deadline = Date.now() + EXAMPLE_MS;
    while (!output.includes(wanted)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${text}: never printed "${wanted}":\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  const stop = () => void (child.exitCode === null && child.kill('SIGINT'));
  return { output: () => output, waitFor, stop, exited: within(exited, text).finally(() => child.kill('SIGKILL')) };
}

/**
 * A README shell line with what the reader fills in filled: `…` after a flag, and the addresses it
 * names (`localhost:3000`, a receiver of the reader's; `127.0.0.1:4010`, xonvo's mock) pointed at
 * servers the test runs.
 */
function filledIn(text: string, values: Record<string, string>, addresses: Record<string, string>): string {
  let filled = text.replace(/(--[\w-]+) …/g, (whole, flag: string) => (flag in values ? `${flag} ${values[flag]}` : whole));
  for (const [address, url] of Object.entries(addresses)) filled = filled.replaceAll(address, url);
  expect(filled, `a placeholder the test cannot fill: ${text}`).not.toContain('…');
  return filled;
}

const RUN_TEST = 'has client examples that, run against the mock, get a success for every call they make';

describe('README', () => {
  it("has client examples that, run against the mock, get a success for every call they make (the timeout example asked for a user's rewards with the app token: a 401)", async () => {
    const examples = clientExamples().filter(makesCall);
    expect(examples.length).toBeGreaterThanOrEqual(4);
    const mocks = await startMocks({ portBase: 0, gatewayPort: 0, log: () => {} });
    const dir = mkdtempSync(join(tmpdir(), 'readme-run-'));
    try {
      for (const example of examples) {
        const exchanges: HarEntry[] = [];
        await within(run(example, runBindings(mocks.urls, dir, exchanges)), `README line ${example.line}`);
        const answered = exchanges.map((entry) => `${entry.request.method} ${new URL(entry.request.url).pathname} ${entry.response.status}`);
        expect(answered.length, `README line ${example.line}: made no call`).toBeGreaterThan(0);
        expect(answered.filter((exchange) => !/ 2\d\d$/.test(exchange)), `README line ${example.line}`).toEqual([]);
      }
    } finally {
      await mocks.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('runs every client example: each makes a call the run above checks, or is the webhook receiver a test below drives (three were only type-checked)', () => {
    expect(clientExamples().filter((example) => !makesCall(example) && !isWebhookReceiver(example)).map((example) => `README line ${example.line}`)).toEqual([]);
  });

  it('has a retry example that, answered 503 with Retry-After and then 200, sends the call again and gets the 200', async () => {
    const example = exampleWith('retry: { retries: 3 }');
    const answered: number[] = [];
    const server = createServer((_, res) => {
      const status = answered.length === 0 ? 503 : 200;
      answered.push(status);
      if (status === 503) return void res.writeHead(503, { 'retry-after': '1' }).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"leadCount":3,"engagedCount":1}');
    });
    const url = await listening(server);
    try {
      const exchanges: HarEntry[] = [];
      await inScratch((dir) => within(run(example, runBindings({ xonvo: url }, dir, exchanges)), `README line ${example.line}`));
      expect(answered).toEqual([503, 200]);
      expect(exchanges.map((entry) => `${entry.request.method} ${new URL(entry.request.url).pathname} ${entry.response.status}`)).toEqual([
        'GET /accounts/21/statistics 503',
        'GET /accounts/21/statistics 200',
      ]);
    } finally {
      server.close();
    }
  });

  it("has a guard example that reports the drift fixture's break of Perx listRewards to its onViolation when the call is sampled, and nothing when it is not", async () => {
    const example = exampleWith("validate: 'report'");
    const drift = violations.find((v) => v.vendor === 'perx' && v.operationId === 'listRewards')!;
    const fixture = await startDriftFixture();
    try {
      const warnedWhen = async (random: number) => {
        const warned: string[] = [];
        const sampling = vi.spyOn(Math, 'random').mockReturnValue(random);
        try {
          await inScratch((dir) =>
            within(run(example, { ...runBindings(fixture.urls, dir, []), log: { warn: (line: string) => warned.push(line) } }), `README line ${example.line}`),
          );
        } finally {
          sampling.mockRestore();
        }
        return warned;
      };
      const sampled = await warnedWhen(0);
      expect(sampled).toHaveLength(1);
      expect(sampled[0]).toMatch(new RegExp(`^perx listRewards 200 ${drift.names}: `));
      expect(await warnedWhen(0.99)).toEqual([]);
    } finally {
      await fixture.stop();
    }
  }, 60_000);

  it('has a webhook receiver example that accepts a delivery sent as Placewise sends it, and refuses one with a forged token or a body that breaks the schema', async () => {
    const example = exampleWith('verifyPlacewiseWebhook(');
    const secret = 'dev-secret';
    const logged: string[] = [];
    // The receiver calls no client: what it imports, its secret from the environment, and a console to see what it read.
    const bindings = {
      verifyPlacewiseWebhook,
      WebhookError,
      process: { env: { PLACEWISE_WEBHOOK_SECRET: secret } },
      console: { log: (...values: unknown[]) => logged.push(values.map(String).join(' ')) },
    };
    const { POST } = (await within(run(example, bindings), `README line ${example.line}`)) as { POST: (request: Request) => Promise<Response> };
    // The receiver behind a plain node:http server, as a framework hands it a fetch Request with the body streamed.
    const server = createServer(async (req, res) => {
      try {
        const headers = new Headers(Object.entries(req.headers).map(([name, value]) => [name, String(value)] as [string, string]));
        const response = await POST(new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body: Readable.toWeb(req) as ReadableStream, duplex: 'half' } as RequestInit));
        res.writeHead(response.status).end(Buffer.from(await response.arrayBuffer()));
      } catch (error) {
        res.writeHead(500).end(String(error));
      }
    });
    const to = `${await listening(server)}/hooks/placewise`;
    try {
      expect(await sendWebhook({ vendor: 'placewise', event: 'update', to, secret })).toMatchObject({ status: 204, outcome: 'delivered' });
      const update = (placewiseWebhookExamples.memberChangesV2 as Record<string, { events: { member: { id: number } }[] }>).update!;
      expect(logged).toEqual([expect.stringMatching(new RegExp(`^update ${update.events[0]!.member.id} `))]);

      expect(await sendWebhook({ vendor: 'placewise', event: 'update', to, secret: 'not-the-secret' })).toMatchObject({ status: 401, outcome: 'dropped' });
      const tampered = structuredClone(update);
      (tampered.events[0]!.member as { id: unknown }).id = 'someone-else';
      const answer = await fetch(to, { method: 'POST', headers: { 'content-type': 'application/json', 'x-secret-token': secret }, body: JSON.stringify(tampered) });
      expect([answer.status, await answer.text()]).toEqual([400, expect.stringMatching(/^placewise webhook refused \(schema\): .*\/events\/0\/member\/id/)]);
      expect(logged).toHaveLength(1);
    } finally {
      server.close();
    }
  });

  it.skipIf(process.env.README_UNDER_TEST)('fails an example that never ends with its line, and stops the mocks and removes its files (the test timed out naming nothing, and left them)', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'readme-hang-'));
    try {
      const first = clientExamples()[0]!;
      const lines = readme.split('\n');
      lines.splice(first.line - 1, 0, 'await new Promise(() => {});');
      writeFileSync(join(tmp, 'README.md'), lines.join('\n'));
      const env = { ...process.env, README_UNDER_TEST: join(tmp, 'README.md'), README_EXAMPLE_MS: '1000', TMPDIR: tmp };
      const output = await new Promise<string>((resolve) =>
        execFile(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', 'scripts/readme.test.ts', '-t', RUN_TEST], { cwd: root, env }, (_, stdout, stderr) => resolve(`${stdout}${stderr}`)),
      );
      expect(output).toContain(`README line ${first.line}: did not end within 1000 ms`);
      expect(readdirSync(tmp).filter((name) => name.startsWith('readme-run-'))).toEqual([]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 120_000);

  it('has client examples that type-check, strict, as a reader copies them (the stream example used Writable and createWriteStream unimported)', () => {
    const examples = clientExamples();
    expect(examples.length).toBeGreaterThanOrEqual(7);
    expect(typeErrors(examples)).toEqual([]);
  }, 120_000);

  it("has mock examples (vitest's global setup, Playwright's config and setup) that type-check, strict, as a reader copies them", () => {
    const examples = mockExamples();
    expect(examples.map(({ code }) => code.split('\n')[0])).toEqual([
      '// vitest.global-setup.ts  (vitest.config.ts: test.globalSetup = [\'vitest.global-setup.ts\'])',
      '// perx.test.ts: each test starts from the seeded state',
      '// playwright.config.ts: one origin for the app under test',
      '// e2e/mocks.ts',
    ]);
    // vitest runs files in parallel against one mock: a reset with no session wiped the other files' data (MOCK-175).
    expect(examples[1]!.code).toMatch(/headers\.set\('x-mock-session', session\)[\s\S]*\/__mock\/reset/);
    expect(typeErrors(examples)).toEqual([]);
  }, 120_000);

  it('has mock command lines (`npx martech-contracts mock …`, `npm start -- …`) whose vendors and flags the mock takes', () => {
    const commands = [...shellLines('npx martech-contracts mock'), ...shellLines('npm start -- ')];
    expect(commands.length).toBeGreaterThanOrEqual(7);
    const refused = commands.flatMap(({ line, text }) => {
      const args = text.replace(/^npx martech-contracts mock|^npm start --/, '').trim().split(/\s+/).filter(Boolean);
      try {
        parseMockArgs(args, {});
        return [];
      } catch (error) {
        return [`README line ${line}: ${(error as Error).message}`];
      }
    });
    expect(refused).toEqual([]);
  });

  it('has curl lines that get from the mock what their comments say: the state, a chosen status, a named example, a body from the schema; and a health check that passes', async () => {
    const curls = shellLines('curl ');
    expect(curls.length).toBeGreaterThanOrEqual(5);
    const spec = JSON.parse(readFileSync(join(root, 'generated/xonvo/openapi.json'), 'utf8')) as { paths: Record<string, { get: { responses: Record<string, { content: Record<string, { examples: Record<string, { value: unknown }> }> }> } }> };
    const examples = spec.paths['/accounts/{accountId}/statistics']!.get.responses['200']!.content['application/json']!.examples;
    const mocks = await startMocks({ vendors: ['xonvo'], portBase: 0, gatewayPort: 0, log: () => {} });
    try {
      for (const { line, text } of curls) {
        const url = /http:\/\/127\.0\.0\.1:(\d+)(\S*)/.exec(text)!;
        // 4010 is xonvo's documented port, 4000 the gateway's.
        const base = url[1] === '4010' ? mocks.urls.xonvo! : url[1] === '4000' ? mocks.gatewayUrl : undefined;
        expect(base, `README line ${line}: a port the mock does not document`).toBeDefined();
        const headers = new Headers();
        const user = / -u (\S+)/.exec(text)?.[1];
        if (user) headers.set('authorization', `Basic ${Buffer.from(user).toString('base64')}`);
        for (const [, name, value] of text.matchAll(/-H '([^:]+): ([^']*)'/g)) headers.set(name!, value!);
        const answer = await fetch(`${base}${url[2]}`, { headers });
        const body = (await answer.json()) as unknown;
        const prefer = headers.get('prefer') ?? '';
        const code = /code=(\d+)/.exec(prefer)?.[1];
        expect(answer.status, `README line ${line}`).toBe(code ? Number(code) : 200);
        const example = /example=(\w+)/.exec(prefer)?.[1];
        if (example) expect(body, `README line ${line}: the example it names`).toEqual(examples[example]?.value);
        if (url[2] === '/__mock/health') expect(body).toEqual({ ok: true });
      }
    } finally {
      await mocks.stop();
    }
  });


  it('has webhook command lines that deliver to a receiver, verified with the secret they name, the placeholders filled (they were not run)', async () => {
    const lines = shellLines('npx martech-contracts webhook');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    const secret = 'dev-secret';
    const delivered: string[] = [];
    const server = createServer(async (req, res) => {
      try {
        const payload = await verifyPlacewiseWebhook({ headers: req.headers, body: await buffer(req) }, secret);
        delivered.push(`${req.url} v${payload.version}`);
        res.writeHead(204).end();
      } catch (error) {
        res.writeHead(error instanceof WebhookError ? 401 : 500).end(String(error));
      }
    });
    const receiver = await listening(server);
    try {
      for (const { line, text } of lines) {
        await inScratch(async (dir) => {
          // The payload a reader writes: the documented example of the event the line sends.
          writeFileSync(join(dir, 'my-payload.json'), JSON.stringify((placewiseWebhookExamples.memberChangesV2 as Record<string, unknown>).update));
          const filled = filledIn(text, { '--to': `${receiver}/hooks/placewise`, '--secret': secret }, { 'http://localhost:3000': receiver });
          const run = startShellLine(filled, dir);
          expect(await run.exited, `README line ${line}: ${filled}\n${run.output()}`).toBe(0);
        });
        expect(delivered.splice(0), `README line ${line}`).toEqual([expect.stringMatching(/^\/hooks\/placewise v[12]$/)]);
      }
    } finally {
      server.close();
    }
  }, 120_000);

  it('has record command lines that start the recording proxy, record a call made through it, and stop on Ctrl-C with the HAR whole (they were not run)', async () => {
    const lines = [...shellLines('npx martech-contracts record'), ...shellLines('npm run record -- ')];
    expect(lines.length).toBeGreaterThanOrEqual(3);
    const mocks = await startMocks({ vendors: ['xonvo'], portBase: 0, gatewayPort: 0, log: () => {} });
    try {
      for (const { line, text } of lines) {
        await inScratch(async (dir) => {
          const filled = filledIn(text, {}, { 'http://127.0.0.1:4010': mocks.urls.xonvo! });
          const run = startShellLine(filled, dir);
          try {
            await run.waitFor('Ctrl-C stops');
            const proxy = /Recording \w+: (http:\/\/127\.0\.0\.1:\d+) → /.exec(run.output())?.[1];
            expect(proxy, `README line ${line}: ${run.output()}`).toBeDefined();
            // To the mock, a call the spec documents; to a vendor's own server, which a test cannot reach, none.
            const toMock = filled.includes(mocks.urls.xonvo!);
            if (toMock) {
              const answer = await fetch(`${proxy}/accounts/21/statistics?from=2022-02-20T01:30:00.000-05:00`, { headers: { authorization: `Basic ${Buffer.from('user:pass').toString('base64')}` } });
              expect(answer.status, `README line ${line}`).toBe(200);
              await run.waitFor('(1 recorded)');
            }
            run.stop();
            expect(await run.exited, `README line ${line}: ${run.output()}`).toBe(0);
            const out = /--out (\S+)/.exec(filled)![1]!;
            const entries = (JSON.parse(readFileSync(join(dir, out), 'utf8')) as { log: { entries: HarEntry[] } }).log.entries;
            expect(entries.map((entry) => new URL(entry.request.url).pathname), `README line ${line}`).toEqual(toMock ? ['/accounts/21/statistics'] : []);
          } finally {
            run.stop();
          }
        });
      }
    } finally {
      await mocks.stop();
    }
  }, 120_000);

  it('has traffic command lines that judge the recording they name (its report, exit 0 or 1), a recording the reader made given to them as the fixture of its vendor (they were not run)', async () => {
    const lines = shellLines('npm run traffic -- ');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const { line, text } of lines) {
      await inScratch(async (dir) => {
        const [vendor, file] = text.replace('npm run traffic -- ', '').split(/\s+/);
        // A recording of the reader's own: the vendor's recorded fixture stands in for it. One of the
        // repository's is read where npm runs the line typed in the clone: its root.
        const ofTheClone = existsSync(join(root, file!));
        if (!ofTheClone) copyFileSync(join(root, 'contract-tests/fixtures/traffic', `${vendor}.har`), join(dir, file!));
        const run = startShellLine(text, ofTheClone ? root : dir);
        const code = await run.exited;
        expect([0, 1], `README line ${line}: exit ${code}\n${run.output()}`).toContain(code);
        // Judged against the spec: calls under its servers were found, documented or not.
        const [, documented, undocumented] = /\d+ recorded requests: (\d+) documented, (\d+) undocumented/.exec(run.output()) ?? [];
        expect(Number(documented) + Number(undocumented), `README line ${line}: ${run.output()}`).toBeGreaterThan(0);
      });
    }
  }, 120_000);

  it('lists every npm script in its table of scripts', () => {
    const table = readme.split('\n').filter((line) => line.startsWith('| `npm ')).join('\n');
    const listed = new Set([...table.matchAll(/`npm (?:run )?([\w:]+)/g)].map((m) => m[1]!));
    // npm runs these itself: prepare on install (it applies patches/), prepack before packing.
    expect(scripts.filter((name) => !['prepare', 'prepack'].includes(name) && !listed.has(name))).toEqual([]);
  });

  it('says to build dist/ before its client examples, which import the package as a clone cannot without it', () => {
    const firstImport = readme.indexOf("from 'martech-contracts/");
    expect(firstImport).toBeGreaterThan(0);
    expect(readme.slice(0, firstImport)).toMatch(/in a clone of this repository they load from `dist\/`, which\s+`npm run build:lib` writes/);
  });

  it("states the default `on` of `retry` as the clients' (src/client.ts), not the retry module's own", async () => {
    const stated = /`on` \(default `\[([\d, ]+)\]`\)/.exec(readme)?.[1]?.split(',').map(Number);
    expect(stated).toBeDefined();
    let requests = 0;
    let refuseWith = 0;
    const server = createServer((_, res) => {
      requests += 1;
      if (requests === 1) return void res.writeHead(refuseWith, { 'retry-after': '0' }).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"leadCount":1,"engagedCount":0}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const xonvo = createXonvoClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, username: 'u', password: 'p', retry: { retries: 1 } });
      const retried: number[] = [];
      for (const status of [429, 500, 502, 503, 504]) {
        [requests, refuseWith] = [0, status];
        await xonvo.GET('/accounts/{accountId}/statistics', { params: { path: { accountId: 1 } } });
        if (requests === 2) retried.push(status);
      }
      expect(retried).toEqual(stated);
    } finally {
      server.close();
    }
  });

  it("states the clients' default timeout, the bounds of `retries` and the size past which an error's body is cut as the code has them", () => {
    expect(Number(/takes `timeoutMs` \(default (\d+)\)/.exec(readme)?.[1])).toBe(DEFAULT_TIMEOUT_MS);
    const [fewest, most] = (/up to `retries` times \((\d+)–(\d+)\)/.exec(readme)?.slice(1) ?? []).map(Number);
    const withRetries = (retries: number) => () => createXonvoClient({ username: 'u', password: 'p', retry: { retries } });
    for (const retries of [fewest!, most!]) expect(withRetries(retries)).not.toThrow();
    for (const retries of [fewest! - 1, most! + 1]) expect(withRetries(retries)).toThrow(ConfigError);
    const sizes = [...readme.matchAll(/an answer over (\d+) KiB/g)].map((m) => Number(m[1]) * 1024);
    expect(sizes.length).toBeGreaterThan(0);
    expect(new Set(sizes)).toEqual(new Set([SHOWN_WHOLE_UP_TO]));
  });

  it('counts the operations the drift fixture breaks as the fixture lists them (it said 23 after three more were added)', () => {
    const stated = Number(/breaks (\d+) operations in different ways/.exec(readme)?.[1]);
    expect(stated).toBe(new Set(violations.map((v) => `${v.vendor} ${v.operationId}`)).size);
  });

  it('names the steps `npm test` runs, and each kind of check that can end as a warning, as scripts/test.ts has them (dredd warned unnamed)', async () => {
    const help = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), 'scripts/test.ts', '--help'], { cwd: root }, (error, stdout) => (error ? reject(error) : resolve(stdout))),
    );
    const steps = /^steps: (.+)$/m.exec(help)?.[1]?.split(', ');
    const stated = /the steps are\s+((?:`\w+`[^`]*?)+)\(`npm test -- --help` lists them\)/.exec(readme)?.[1];
    expect([...(stated ?? '').matchAll(/`(\w+)`/g)].map((m) => m[1])).toEqual(steps);

    const warning = (checks: { status: string }[]) => checks.some((check) => check.status === 'warning');
    const warns: Record<string, boolean> = {
      dredd: warning(stepChecks('dredd', 'dredd', 0, { ok: true, value: { xonvo: { passing: 1, failing: 0, skipped: 1 } } })),
      respect: warning(stepChecks('workflows', 'workflows', 0, { ok: true, value: { xonvo: { passed: 1, failed: 0, warnings: 1, skipped: 0 } } })),
      'the breaking-change gate': warning(stepChecks('breaking', 'breaking', 0, { ok: true, value: { warnings: ['a default changed'] } })),
    };
    const when = /\(`, N warnings` when ([^)]+)\)/.exec(readme)?.[1]?.replace(/\s+/g, ' ');
    expect(when).toBeDefined();
    expect(Object.keys(warns).filter((kind) => warns[kind] !== when!.includes(kind.replace(/^the /, '')))).toEqual([]);
  }, 60_000);

  it("counts the operations that answer with their examples (no stateful `x-mock`) as the bundled specs have them", () => {
    const sentence = /They are ([^;]+); the reference docs show/.exec(readme)?.[1]?.replace(/\s+/g, ' ') ?? '';
    // "43 of Perx's 66 operations", and "Imprzd's one": its only operation.
    const stated = Object.fromEntries([
      ...[...sentence.matchAll(/(\d+) of (\w+)'s? (\d+)/g)].map((m) => [m[2]!.toLowerCase(), [Number(m[1]), Number(m[3])]]),
      ...[...sentence.matchAll(/(\w+)'s? one\b/g)].map((m) => [m[1]!.toLowerCase(), [1, 1]]),
    ]);
    const counted = Object.fromEntries(
      vendors.map((vendor) => {
        const spec = JSON.parse(readFileSync(join(root, 'generated', vendor.name, 'openapi.json'), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
        const operations = Object.values(spec.paths).flatMap((item) => Object.values(item).filter((op): op is { 'x-mock'?: { action?: string } } => typeof op === 'object' && op !== null && 'responses' in op));
        return [vendor.name, [operations.filter((op) => op['x-mock']?.action === undefined).length, operations.length]];
      }),
    );
    expect(stated).toEqual(counted);
  });

  it("has the mock's peers installed, wherever it says how, at versions package.json's peerDependencies allow, and names the one runtime dependency", () => {
    const commands = [...readme.matchAll(/npm (?:i|install) -D((?:\s+[@\w/.-]+)+)/g)].map((m) => m[1]!.trim().split(/\s+/));
    expect(commands.length).toBeGreaterThanOrEqual(2);
    for (const packages of commands) {
      const named: Record<string, string | undefined> = Object.fromEntries(packages.map((spec) => /^(@?[^@]+)(?:@(.+))?$/.exec(spec)!.slice(1, 3)));
      expect(Object.keys(named).sort()).toEqual(Object.keys(manifest.peerDependencies).sort());
      for (const [name, version] of Object.entries(named)) {
        if (version !== undefined) expect(semver.satisfies(version, manifest.peerDependencies[name]!), `${name}@${version} against ${manifest.peerDependencies[name]}`).toBe(true);
      }
    }
    expect(readme).toMatch(new RegExp(`runtime dependency: ${Object.keys(manifest.dependencies).join(', ')} only`));
  });

  it("names startMocks' options and what it returns as src/mock/index.ts declares them, and quotes its refusal of a port base as it is", async () => {
    const source = ts.createSourceFile('index.ts', readFileSync(join(root, 'src/mock/index.ts'), 'utf8'), ts.ScriptTarget.ES2022);
    const members = (name: string) =>
      source.statements
        .filter((node): node is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(node) && node.name.text === name)
        .flatMap((node) => node.members.map((member) => member.name!.getText(source)));
    const names = (text: string | undefined) => [...(text ?? '').matchAll(/`(\w+)/g)].map((m) => m[1]!).sort();
    const said = /`startMocks\(options\)` returns `\{ ([^}]+) \}`\. Options:([^.]+)\./.exec(readme.replace(/\s+/g, ' '));
    expect(names(said?.[1]?.split(', ').map((part) => `\`${part}`).join(' '))).toEqual(members('RunningMocks').sort());
    expect(names(said?.[2]?.replace(/\([^)]*\)/g, ''))).toEqual(members('StartMocksOptions').sort());

    const quoted = /\(`(mock: option "portBase" must be [^`]+\(got (\d+)\))`;/.exec(readme);
    expect(quoted).not.toBeNull();
    await expect(startMocks({ portBase: Number(quoted![2]) })).rejects.toThrow(quoted![1]!);
  });

  // The worked example's command and the calls it says the report lists were not run by any test.
  it('names, in the Imprzd worked example, the calls the traffic report on its fixture lists as missing', () => {
    const text = readme.replace(/\s+/g, ' ');
    const file = /npm run traffic -- imprzd (contract-tests\/fixtures\/traffic\/\S+\.har)/.exec(text)?.[1];
    expect(file).toBeDefined();
    const listed = /the report lists the recording's calls that the spec lacks \(([^)]*)\)/i.exec(text)?.[1];
    const calls = [...(listed ?? '').matchAll(/`([A-Z]+ \/[^`]*)`/g)].map((m) => m[1]);
    const report = analyse(loadSpec(vendors.find((v) => v.name === 'imprzd')!), readHar(join(root, file!)), { har: file!, spec: 'imprzd' });
    expect(calls).toEqual(report.undocumented.map((u) => `${u.method} ${u.path}`));
    expect(calls.length).toBeGreaterThan(0);
  });

  it("names --server where it says to check a client's recording: one made against the mock needs it", () => {
    const comment = readme.slice(readme.indexOf("await recorder.write('imprzd.har');"), readme.indexOf('### Webhooks'));
    expect(comment).toMatch(/npm run traffic -- imprzd imprzd\.har[\s\S]*--server <that base URL>/);
  });
});
