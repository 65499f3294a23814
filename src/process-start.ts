/**
 * When a process started, as Linux counts it: clock ticks from boot, field 22 of /proc/<pid>/stat.
 * A pid is given again to the next process once its own has ended; the pid and this together name
 * one process. Undefined where there is no /proc (macOS, Windows) or it cannot be read. Node's fs is
 * reached at run time: the HAR writer, which names its copies by it, is in every client's bundle.
 */
import { optionalBuiltin } from './node-builtin.js';

export function processStart(pid: number): string | undefined {
  const fs = optionalBuiltin<typeof import('node:fs')>('node:fs');
  if (fs === undefined) return undefined;
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
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

/** What names this process among those a pid has been given: `<pid>-<start>`, or the pid alone where its start cannot be read. */
export function ownProcessTag(): string {
  const start = ownProcessStart();
  return start === undefined ? String(process.pid) : `${process.pid}-${start}`;
}
