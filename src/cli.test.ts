import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './mock/prism.js';
import { vendors } from './vendors.js';
import { createXonvoClient } from './xonvo.js';

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) child.kill('SIGKILL');
});

function start(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, 'mock', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let output = '';
  child.stdout!.on('data', (c) => (output += c));
  child.stderr!.on('data', (c) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = async (text: string, ms = 30_000) => {
    const deadline = Date.now() + ms;
    while (!output.includes(text)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`never printed "${text}":\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { child, exited, waitFor, output: () => output };
}

/** Every process below `pid`, so a test can tell whether the mocks outlived their launcher. */
function descendants(pid: number): { pid: number; command: string }[] {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,args=']).toString().trim().split('\n');
  const table = rows.map((row) => {
    const [, child, parent, command] = row.match(/^\s*(\d+)\s+(\d+)\s+(.*)$/)!;
    return { pid: Number(child), ppid: Number(parent), command: command! };
  });
  const found: { pid: number; command: string }[] = [];
  const walk = (parent: number) => {
    for (const row of table) if (row.ppid === parent) (found.push(row), walk(row.pid));
  };
  walk(pid);
  return found;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('martech-contracts mock', () => {
  it('serves every vendor that has operations, answers a typed client call, and stops them all on Ctrl-C', async () => {
    const base = await freePort();
    const mock = start(['--port-base', String(base), '--quiet']);
    await mock.waitFor('Ctrl-C stops all mocks');
    const served = vendors.filter((v) => v.operationCount > 0);
    for (const [i, vendor] of vendors.entries()) {
      const line = `${vendor.name.padEnd(6)}  http://127.0.0.1:${base + i}`;
      if (served.includes(vendor)) expect(mock.output()).toContain(`ready: ${vendor.name} at http://127.0.0.1:${base + i}`);
      else expect(mock.output()).not.toContain(line);
    }

    const xonvo = createXonvoClient({ baseUrl: `http://127.0.0.1:${base + vendors.findIndex((v) => v.name === 'xonvo')}`, username: 'u', password: 'p' });
    const { data, response } = await xonvo.GET('/accounts/{accountId}/statistics', { params: { path: { accountId: 18 } } });
    expect(response.status).toBe(200);
    expect(typeof data?.leadCount).toBe('number');

    const children = descendants(mock.child.pid!);
    expect(children.filter((c) => c.command.includes('prism-cli')).length).toBe(served.length);
    mock.child.kill('SIGINT');
    expect(await mock.exited).toBe(0);
    expect(mock.output()).toContain('All mocks stopped.');
    // Prism processes must be gone; tsx's esbuild helper exits on its own once its parent has.
    const deadline = Date.now() + 3000;
    while (children.some((c) => alive(c.pid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(children.filter((c) => alive(c.pid))).toEqual([]);
  });

  it('stops everything and says so when a mock dies', async () => {
    const base = await freePort();
    const mock = start(['xonvo', 'perx', '--port-base', String(base), '--quiet']);
    await mock.waitFor('Ctrl-C stops all mocks');
    const prisms = descendants(mock.child.pid!).filter((c) => c.command.includes('prism-cli'));
    process.kill(prisms.find((p) => p.command.includes('xonvo'))!.pid, 'SIGKILL');
    expect(await mock.exited).toBe(1);
    expect(mock.output()).toContain('the xonvo mock exited unexpectedly (SIGKILL); stopping the others');
    expect(prisms.filter((p) => alive(p.pid))).toEqual([]);
  });

  it('names an unknown vendor and lists the known ones', async () => {
    const mock = start(['nosuchvendor']);
    expect(await mock.exited).toBe(1);
    expect(mock.output()).toContain(`unknown vendor "nosuchvendor"; known vendors: ${vendors.map((v) => v.name).join(', ')}`);
  });

  it('says which port is taken and what to do', async () => {
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const mock = start(['xonvo', '--port-base', String(port)]);
      expect(await mock.exited).toBe(1);
      expect(mock.output()).toContain(`port ${port} (xonvo) is in use`);
      expect(mock.output()).toContain('--port-base');
    } finally {
      blocker.close();
    }
  });

  it('rejects a malformed --port-base with the rule', async () => {
    const mock = start(['--port-base', 'abc']);
    expect(await mock.exited).toBe(2);
    expect(mock.output()).toContain('--port-base must be a whole number from 1 to 65000 (got "abc")');
  });
});

describe('the mock as a frontend developer steers it', () => {
  let base: number;
  let mock: ReturnType<typeof start>;
  const xonvoUrl = () => `http://127.0.0.1:${base + vendors.findIndex((v) => v.name === 'xonvo')}`;
  const perxUrl = () => `http://127.0.0.1:${base + vendors.findIndex((v) => v.name === 'perx')}`;
  const basic = { Authorization: `Basic ${Buffer.from('u:p').toString('base64')}` };

  beforeAll(async () => {
    base = await freePort();
    mock = start(['xonvo', 'perx', '--port-base', String(base), '--quiet']);
    // Shared by this block's tests: the file's afterEach must not kill it between them.
    running.splice(running.indexOf(mock.child), 1);
    await mock.waitFor('Ctrl-C stops all mocks');
  });
  afterAll(async () => {
    mock.child.kill('SIGINT');
    expect(await mock.exited).toBe(0);
  });

  it('answers a chosen status with Prefer: code=…', async () => {
    const response = await fetch(`${xonvoUrl()}/accounts/18/statistics`, { headers: { ...basic, Prefer: 'code=404' } });
    expect(response.status).toBe(404);
  });

  it('answers a named example with Prefer: example=…', async () => {
    const token = (body: object) =>
      fetch(`${perxUrl()}/v4/oauth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Prefer: 'example=userToken' },
        body: JSON.stringify(body),
      }).then((r) => r.json());
    const answer = await token({ client_id: 'a', client_secret: 'b', grant_type: 'client_credentials', scope: 'user_account(identifier:1)' });
    expect(answer.scope).toBe('user_account');
  });

  it('sends CORS headers, so a browser app on another origin can call it', async () => {
    const preflight = await fetch(`${xonvoUrl()}/accounts/18/statistics`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-origin')).toMatch(/^(\*|http:\/\/localhost:5173)$/);
    const get = await fetch(`${xonvoUrl()}/accounts/18/statistics`, { headers: { ...basic, Origin: 'http://localhost:5173' } });
    expect(get.headers.get('access-control-allow-origin')).toMatch(/^(\*|http:\/\/localhost:5173)$/);
  });
});

describe('dynamic mode', () => {
  async function firstDynamicAnswer(seed: string) {
    const base = await freePort();
    const mock = start(['xonvo', '--dynamic', '--seed', seed, '--port-base', String(base), '--quiet']);
    await mock.waitFor('Ctrl-C stops all mocks');
    expect(mock.output()).toContain(`Mode: dynamic (seed ${seed})`);
    const response = await fetch(`http://127.0.0.1:${base}/accounts/18/statistics`, {
      headers: { Authorization: `Basic ${Buffer.from('u:p').toString('base64')}` },
    });
    const body = await response.json();
    mock.child.kill('SIGINT');
    await mock.exited;
    return body;
  }

  it('generates responses from the schema, repeatably for a seed, with no invented properties', async () => {
    const first = await firstDynamicAnswer('demo');
    const again = await firstDynamicAnswer('demo');
    expect(again).toEqual(first);
    expect(Object.keys(first).sort()).toEqual(['ctr', 'deliveredCount', 'engagedCount', 'leadCount', 'unsubscribeCount']);
    expect(first).not.toEqual({ engagedCount: 0, leadCount: 1, unsubscribeCount: 0, deliveredCount: 0, ctr: 3 });
  });
});
