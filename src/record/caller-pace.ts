/**
 * The recording proxy's caller setting the pace of its answer. A write to the caller that asks to
 * wait for 'drain' holds the vendor's answer back (forward.ts's Pace) until the caller has taken
 * it, so the proxy holds about as much of an answer as the caller's connection does, however
 * large or slow to read: 269 KB of gzip that decode to 256 MiB took 873 MiB of the proxy's memory.
 */
import type { ServerResponse } from 'node:http';
import type { Pace } from './forward.js';

export interface CallerPace {
  pace: Pace;
  /** Sends a chunk on to the caller; nothing once it has hung up. */
  write(chunk: Uint8Array): void;
}

/** `held` is told when the caller begins and ends holding the vendor back. */
export function callerPace(res: ServerResponse, held: { hold(): void; go(): void }): CallerPace {
  let waiting: Promise<void> | undefined;
  let release: () => void = () => undefined;
  const go = () => {
    if (waiting) held.go();
    waiting = undefined;
    release();
  };
  // A caller that has hung up takes nothing more: the recording reads the rest at its own pace.
  res.on('drain', go).on('close', go);
  return {
    pace: () => waiting,
    write(chunk) {
      if (res.destroyed) return;
      if (res.write(chunk) || waiting || res.destroyed) return;
      waiting = new Promise((resolve) => (release = resolve));
      held.hold();
    },
  };
}
