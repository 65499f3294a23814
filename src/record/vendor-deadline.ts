/**
 * The recording proxy's `timeoutMs`: how long the vendor may take, not its caller. An answer goes
 * on at the caller's pace (caller-pace.ts), so the time the vendor is held back for a caller
 * reading slowly is not counted: with AbortSignal.timeout, a large answer to a slow caller was cut
 * off at the timeout, where the whole answer, once held in memory, had reached it.
 */
export interface VendorDeadline {
  signal: AbortSignal;
  /** Stops the count while the vendor is held back for the caller. */
  hold(): void;
  go(): void;
  /** The exchange is over: no timer is left behind. */
  clear(): void;
}

export function vendorDeadline(timeoutMs: number): VendorDeadline {
  const controller = new AbortController();
  let left = timeoutMs;
  let since = 0;
  let timer: NodeJS.Timeout | undefined;
  // Aborted as AbortSignal.timeout aborts, so the 504 is told from the other failures the same way.
  const start = () => {
    since = performance.now();
    timer = setTimeout(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), left);
    timer.unref();
  };
  const stop = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  start();
  return {
    signal: controller.signal,
    hold() {
      if (timer === undefined || controller.signal.aborted) return;
      stop();
      left -= performance.now() - since;
    },
    go() {
      if (timer === undefined && !controller.signal.aborted && left !== -1) start();
    },
    clear() {
      stop();
      left = -1;
    },
  };
}
