import { untilAborted } from './abortable.js';

/**
 * The body of a call made with `parseAs: 'stream'`, handed back still under the call's control.
 *
 * Such a call returns when the headers arrive, and the caller reads the body afterwards. A raw
 * fetch's signal still reaches its body then; so must the call's deadline and the caller's signal,
 * or a vendor that stops sending mid-body leaves the reader waiting forever. The call ends (`end`)
 * when the body has been read to its end, fails, or is cancelled; a read that fails has its error
 * passed through `failure`.
 */
export interface StreamedCall {
  /** The call's signal: its deadline, the caller's abort. */
  signal: AbortSignal;
  /** The call is over: its deadline and its hold on the caller's signal go. */
  end: () => void;
  /** What a failed read rejects with (a deadline's abort becomes the call's TimeoutError). */
  failure: (error: unknown) => unknown;
  /** Ends the exchange itself, for a caller that cancels the body. */
  abort: (reason: unknown) => void;
}

export function streamedBody(body: ReadableStream<Uint8Array>, call: StreamedCall): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let open = true;
  /** Ends the call once, however the body finishes; false when it had finished already. */
  const finish = () => open && ((open = false), call.end(), true);
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          // Raced against the call's signal: a caller's fetch that dropped it still ends here.
          chunk = await untilAborted(reader.read(), call.signal);
        } catch (error) {
          if (finish()) controller.error(call.failure(error));
          reader.cancel(error).catch(() => undefined);
          return;
        }
        if (!chunk.done) controller.enqueue(chunk.value);
        // A read pending when the caller cancelled ends as done: the stream is closed already.
        else if (finish()) controller.close();
      },
      cancel(reason) {
        finish();
        // A body someone else also reads (a recording's copy) is only let go once both are done:
        // ending the exchange ends both.
        call.abort(reason ?? new DOMException('The body was cancelled', 'AbortError'));
        // The abort may have ended the body already: cancelling it then has nothing left to say.
        return reader.cancel(reason).catch(() => undefined);
      },
    },
    // Read from the vendor only as the caller reads: no chunk waits in a queue of ours.
    { highWaterMark: 0 },
  );
}
