/**
 * The deadlines of calls in flight, kept by one timer for all of them.
 *
 * A Node timer per call (setTimeout when it starts, clearTimeout when it ends) measured 0.02–0.06×
 * of a local raw fetch (decision CLIENT-4): when calls run one after another, each pair makes and
 * drops Node's timer list for that duration. Here a call's deadline joins a set, and the
 * one timer is armed for the earliest: when it fires, it ends the calls whose deadline has passed
 * and re-arms for the next. A call that ends in time just leaves the set, so calls with the same
 * timeout, one after another, never touch the timer.
 *
 * The timer holds the process open only while some call waits, as a timer per call would.
 */
interface Deadline {
  at: number;
  expire: () => void;
}

const waiting = new Set<Deadline>();
let timer: ReturnType<typeof setTimeout> | undefined;
let armedFor = Infinity;

function arm(at: number): void {
  clearTimeout(timer);
  armedFor = at;
  timer = setTimeout(expireDue, Math.max(0, at - performance.now()));
}

function expireDue(): void {
  timer = undefined;
  armedFor = Infinity;
  const now = performance.now();
  let next = Infinity;
  for (const deadline of waiting) {
    if (deadline.at <= now) {
      waiting.delete(deadline);
      deadline.expire();
    } else if (deadline.at < next) next = deadline.at;
  }
  if (next < Infinity) arm(next);
}

/** Calls `expire` in `ms` unless the returned function (the call is over) is called first. */
export function startDeadline(ms: number, expire: () => void): () => void {
  const deadline: Deadline = { at: performance.now() + ms, expire };
  waiting.add(deadline);
  if (deadline.at < armedFor) arm(deadline.at);
  else if (waiting.size === 1) timer?.ref?.();
  return () => {
    waiting.delete(deadline);
    if (waiting.size === 0) timer?.unref?.();
  };
}
