/**
 * Claims of one `record` lock racing, each step of each claim's file work put in an order chosen
 * by a seeded random schedule: the interleavings a loaded machine may produce, the same on every
 * run. Three claims of a dead run's lock could leave two holding it (CLIENT-138 left it).
 */
import type { AsyncLocalStorage } from 'node:async_hooks';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { claimFile, ownLock } from './record.js';

/** The file work claims wait on, and which claim (`als`'s name) each step is. */
const gate = vi.hoisted(() => ({ als: undefined as unknown as AsyncLocalStorage<string>, waiting: [] as { who: string; step: string; run: () => void }[] }));

// Each promise of the file system a claim calls waits for the schedule, then runs at once (its
// synchronous twin): no step of a claim is under way while another is chosen.
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const sync = await import('node:fs');
  gate.als = new (await import('node:async_hooks')).AsyncLocalStorage<string>();
  const twins = { link: sync.linkSync, readFile: sync.readFileSync, rename: sync.renameSync, unlink: sync.unlinkSync, writeFile: sync.writeFileSync, open: undefined, stat: sync.statSync };
  const gated = Object.fromEntries(
    Object.entries(twins).map(([name, twin]) => [
      name,
      (...args: unknown[]) => {
        const who = gate.als.getStore();
        if (who === undefined) return (real as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!(...args);
        // A step the schedule does not know (one this test does not twin) would run unscheduled: refused.
        if (!twin) return Promise.reject(new Error(`${name} is not scheduled by this test`));
        return new Promise((resolve, reject) =>
          gate.waiting.push({
            who,
            step: `${name} ${String(args[0]).split('/').pop()}`,
            run: () => {
              try {
                resolve((twin as (...a: unknown[]) => unknown)(...args));
              } catch (error) {
                reject(error);
              }
            },
          }),
        );
      },
    ]),
  );
  return { ...real, ...gated, default: { ...real, ...gated } };
});

/** A seeded generator (mulberry32): the same schedule for a seed on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Lets every claim run up to its next file step or its end: no step runs unscheduled, so only promise jobs are left. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Runs `claims` claims of `out` at once, one file step at a time in the order the seed picks; the steps taken, in order, for a failure's message. */
async function race(out: string, claims: number, seed: number) {
  const pick = random(seed);
  const results: Awaited<ReturnType<typeof claimFile>>[] = [];
  const steps: string[] = [];
  let ended = 0;
  const running = Array.from({ length: claims }, (_, i) =>
    gate.als.run(`claim ${i}`, () => claimFile(out)).then((result) => {
      results[i] = result;
      ended += 1;
    }),
  );
  for (;;) {
    await settle();
    if (gate.waiting.length === 0) break;
    const [next] = gate.waiting.splice(Math.floor(pick() * gate.waiting.length), 1);
    steps.push(`${next!.who}: ${next!.step}`);
    next!.run();
  }
  await Promise.all(running);
  expect(ended).toBe(claims);
  return { results, steps };
}

describe('claims of a dead run\'s lock racing', () => {
  it('leave one claim holding the file and tell the others, whatever order their file steps take, a killed takeover\'s lock there or not, and leave nothing beside the file', async () => {
    const [gone, killed] = [spawn(process.execPath, ['-e', '']), spawn(process.execPath, ['-e', ''])];
    await Promise.all([gone, killed].map((child) => new Promise((resolve) => child.on('exit', resolve))));
    const failures: string[] = [];
    for (let seed = 1; seed <= 300; seed++) {
      const folder = mkdtempSync(join(tmpdir(), 'martech-lock-race-'));
      const out = join(folder, 'out.har');
      writeFileSync(`${out}.lock`, String(gone.pid));
      // A takeover of it that was killed midway left its own lock: taken over too.
      if (seed % 3 === 0) writeFileSync(`${out}.lock.takeover-${gone.pid}`, String(killed.pid));
      const claims = 3 + (seed % 2);
      const { results, steps } = await race(out, claims, seed);
      const holders = results.filter((result) => 'release' in result);
      const told = results.filter((result) => 'heldBy' in result && result.heldBy === process.pid);
      const lock = readFileSync(`${out}.lock`, 'utf8');
      for (const holder of holders) if ('release' in holder) holder.release();
      const left = readdirSync(folder);
      if (holders.length !== 1 || told.length !== claims - 1 || lock !== ownLock() || left.length > 0) {
        failures.push(`seed ${seed}: ${holders.length} of ${claims} claims hold the file, lock ${lock}, left ${JSON.stringify(left)}\n  ${steps.join('\n  ')}`);
      }
    }
    expect({ failed: failures.length, first: failures[0] }).toEqual({ failed: 0, first: undefined });
  });
});
