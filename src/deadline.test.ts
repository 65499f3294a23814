import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startDeadline } from './deadline.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('startDeadline', () => {
  it('expires a call that is still going at its deadline', async () => {
    const expired: string[] = [];
    startDeadline(20, () => expired.push('a'));
    await sleep(5);
    expect(expired).toEqual([]);
    await sleep(60);
    expect(expired).toEqual(['a']);
  });

  it('never expires a call that ended first', async () => {
    const expired: string[] = [];
    const stop = startDeadline(20, () => expired.push('a'));
    stop();
    await sleep(60);
    expect(expired).toEqual([]);
  });

  it('expires a shorter deadline started after a longer one on time, and the longer one later', async () => {
    const expired: string[] = [];
    const stopLong = startDeadline(300, () => expired.push('long'));
    startDeadline(20, () => expired.push('short'));
    await sleep(80);
    expect(expired).toEqual(['short']);
    stopLong();
    await sleep(300);
    expect(expired).toEqual(['short']);
  });

  it('expires each of many calls with the same timeout, in order', async () => {
    const expired: number[] = [];
    for (let i = 0; i < 5; i++) {
      startDeadline(10 + i * 15, () => expired.push(i));
      await sleep(1);
    }
    await sleep(150);
    expect(expired).toEqual([0, 1, 2, 3, 4]);
  });

  // The one timer must behave like a timer per call: it keeps the process open while a call
  // waits (so a call on a fetch that holds nothing open still times out), and not after.
  const run = (body: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `import { startDeadline } from ${JSON.stringify(fileURLToPath(new URL('./deadline.ts', import.meta.url)))};\n${body}`], {
      encoding: 'utf8',
      timeout: 20_000,
    });

  it('keeps the process open until a waiting call expires', () => {
    const result = run(`startDeadline(200, () => console.log('expired'));`);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('expired');
  });

  it('holds the process open again for a call that starts after the others ended', () => {
    // The second deadline is later than the one the timer is armed for, so it only re-references it.
    const result = run(`startDeadline(100, () => console.log('first'))(); startDeadline(300, () => console.log('expired'));`);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('expired');
  });

  it('lets the process exit once every call has ended, though the timer is armed for a minute', () => {
    const started = Date.now();
    const result = run(`const stop = startDeadline(60_000, () => console.log('expired')); setTimeout(() => { stop(); console.log('ended'); }, 10);`);
    expect(result.stdout.trim()).toBe('ended');
    expect(result.signal).toBeNull(); // not killed by spawnSync's 20 s timeout
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
