import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/**
 * A child in its own process group, so stopping it stops everything it started too (a runner's
 * vitest, dredd and respect; a CLI's servers). The group is also killed when this process exits,
 * so a test that fails or times out leaves nothing running.
 */
export function spawnGroup(command: string, args: string[], options: SpawnOptions = {}) {
  const child: ChildProcess = spawn(command, args, { ...options, detached: true });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
      return true;
    } catch {
      return false; // the group is gone already
    }
  };
  const onExit = () => signalGroup('SIGKILL');
  process.once('exit', onExit);
  child.once('close', () => {
    signalGroup('SIGKILL'); // anything the child left behind
    process.off('exit', onExit);
  });
  /** Asks the group to stop (default SIGTERM); SIGKILL after `graceMs` if the child has not exited. */
  async function stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 5000): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) {
      signalGroup('SIGKILL');
      return;
    }
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    signalGroup(signal);
    const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
    await closed;
    clearTimeout(timer);
  }
  return { child, stop, signalGroup };
}
