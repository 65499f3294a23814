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

export function callerPace(res: ServerResponse): CallerPace {
  let held: Promise<void> | undefined;
  let release: () => void = () => undefined;
  const go = () => {
    held = undefined;
    release();
  };
  // A caller that has hung up takes nothing more: the recording reads the rest at its own pace.
  res.on('drain', go).on('close', go);
  return {
    pace: () => held,
    write(chunk) {
      if (res.destroyed) return;
      if (!res.write(chunk) && !held && !res.destroyed) held = new Promise((resolve) => (release = resolve));
    },
  };
}
