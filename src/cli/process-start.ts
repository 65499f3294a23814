/**
 * When a process started, as Linux counts it: clock ticks from boot, field 22 of /proc/<pid>/stat.
 * A pid is given again to the next process once its own has ended; the pid and this together name
 * one process. Undefined where there is no /proc (macOS, Windows) or it cannot be read.
 */
import { readFileSync } from 'node:fs';

export function processStart(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  // The name (field 2) is in parentheses and may hold spaces and ')' itself: fields are counted from its last ')'.
  const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  return start && /^\d+$/.test(start) ? start : undefined;
}

let own: { start: string | undefined } | undefined;
/** This process's start, read once, when first asked for: importing a module that needs it reads nothing. */
export function ownProcessStart(): string | undefined {
  own ??= { start: processStart(process.pid) };
  return own.start;
}
