import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnGroup } from '../../scripts/lib/process-group.js';
import { envPrefix } from '../lib/target.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Placeholder credentials, distinctive enough that any leak of them is found by a search. */
export const fakeSecrets = {
  XONVO_USERNAME: 'xonvo-user-Q7f3',
  XONVO_PASSWORD: 'xonvo-pass-Z9k1',
  FOOTPRINTS_KEY: 'fp-key-H2m8',
  FOOTPRINTS_SECRET: 'fp-secret-W4r6',
  PERX_CLIENT_ID: 'perx-id-B5n2',
  PERX_CLIENT_SECRET: 'perx-secret-J8t4',
  PLACEWISE_TOKEN: 'pw-token-C3v9',
  IMPRZD_TOKEN: 'imprzd-token-L6p5',
};

export interface SandboxRun {
  code: number;
  output: string;
  report: Record<string, any>;
  /** Every file the run wrote into its reports folder, by name. */
  files: Record<string, string>;
}

/** `npm run test:sandbox` as a user runs it, with vendor URLs pointed at the given servers. */
export function runSandbox(urls: Record<string, string>, extraEnv: Record<string, string> = {}, args: string[] = []): Promise<SandboxRun> {
  return runWithSandboxEnv('scripts/sandbox.ts', urls, extraEnv, args);
}

/** A script (the sandbox runner, or one of its parts) configured for sandboxes at the given URLs. */
export async function runWithSandboxEnv(script: string, urls: Record<string, string>, extraEnv: Record<string, string> = {}, args: string[] = []): Promise<SandboxRun> {
  const reportsDir = await mkdtemp(join(tmpdir(), 'martech-sandbox-reports-'));
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, MARTECH_REPORTS_DIR: reportsDir };
  for (const [vendor, url] of Object.entries(urls)) {
    env[`${envPrefix(vendor)}_BASE_URL`] = url;
  }
  if (Object.keys(urls).length > 0) Object.assign(env, fakeSecrets, { PERX_USER_IDENTIFIER: '66666' });
  // Last, so a test can give a vendor a setting of its own (one its client refuses).
  Object.assign(env, extraEnv);
  // Its own process group: a test that fails or times out stops the runner and all it started.
  const { child } = spawnGroup(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), script, ...args], { cwd: root, env });
  let output = '';
  child.stdout!.on('data', (c) => (output += c));
  child.stderr!.on('data', (c) => (output += c));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  const files: Record<string, string> = {};
  try {
    for (const name of await readdir(reportsDir)) files[name] = await readFile(join(reportsDir, name), 'utf8');
  } finally {
    // Read into `files`: left in the shared temporary folder, a run's reports piled up there, and
    // another test watching that folder for what a run leaves behind counted them (TEST-82).
    await rm(reportsDir, { recursive: true, force: true });
  }
  return { code, output, report: JSON.parse(files['sandbox.json'] ?? '{}'), files };
}
