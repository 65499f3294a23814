import { spawn } from 'node:child_process';
import { root } from './vendors.js';

export interface RunResult {
  code: number;
  output: string;
}

/** Runs a tool from node_modules/.bin, capturing its output (printed only when asked or on failure). */
export function run(tool: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(`${root}node_modules/.bin/${tool}`, args, {
      cwd: root,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output: withoutBanner(output) }));
  });
}

/** Redocly prints a boxed Node-20 end-of-life banner on every command; it is noise here. */
function withoutBanner(output: string): string {
  return output
    .split('\n')
    .filter((line) => !/^\s*[╔║╚]/.test(line))
    .join('\n')
    .trim();
}
