/**
 * A command that serves until stopped (the mock, the recording proxy) runs under `sh -c` when npm
 * starts it, and a SIGTERM to npm ends npm and the shell but not the shell's child: it would serve
 * on, holding its port. Its parent ending is its signal; and npm's, where npm's shell is the
 * parent: a SIGKILL of npm (a CI job's timeout) leaves the shell.
 */
import { npmAbove, parentOf } from './npm-process.js';

/**
 * Calls `stop` once this process's parent (or the npm above it) ends, checking every second from
 * now: the parent is read at once, as a parent read later may have ended already (MOCK-164).
 * Returns what ends the watch.
 */
export function watchParent(stop: () => void): () => void {
  const parent = process.ppid;
  const npm = npmAbove(parent);
  // A read of /proc that fails (out of file descriptors under load) says nothing of npm: only another parent does.
  const npmGone = () => {
    if (npm === undefined) return false;
    const above = parentOf(parent);
    return above !== undefined && above !== npm;
  };
  const timer = setInterval(() => (process.ppid !== parent || npmGone()) && stop(), 1000).unref();
  return () => clearInterval(timer);
}
