/** For tests of npm scripts: what npm really does with what was typed (npm warns and keeps flags it does not know). */
import { spawn } from 'node:child_process';

/** `npm <args>` run for real in `cwd`, with nothing of an outer npm's in its environment but `env`. */
export function realNpm(args: string[], cwd: string, env: Record<string, string> = {}) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
  const child = spawn('npm', args, { cwd, env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  return new Promise<{ code: number | null; output: string }>((resolve) => child.on('close', (code) => resolve({ code, output })));
}
