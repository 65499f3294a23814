/**
 * The body of a call made with `parseAs: 'stream'`, handed back still under the call's control.
 *
 * Such a call returns when the headers arrive, and the caller reads the body afterwards. A raw
 * fetch's signal still reaches its body then; so must the call's deadline and the caller's signal,
 * or a vendor that stops sending mid-body leaves the reader waiting forever. The call ends (`end`)
 * when the body has been read to its end, fails, or is cancelled; a read that fails has its error
 * passed through `failure` (a deadline's abort becomes the call's TimeoutError).
 */
export function streamedBody(
  body: ReadableStream<Uint8Array>,
  end: () => void,
  failure: (error: unknown) => unknown,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let open = true;
  /** Ends the call once, however the body finishes; false when it had finished already. */
  const finish = () => open && ((open = false), end(), true);
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (error) {
          if (finish()) controller.error(failure(error));
          return;
        }
        if (!chunk.done) controller.enqueue(chunk.value);
        // A read pending when the caller cancelled ends as done: the stream is closed already.
        else if (finish()) controller.close();
      },
      cancel(reason) {
        finish();
        return reader.cancel(reason);
      },
    },
    // Read from the vendor only as the caller reads: no chunk waits in a queue of ours.
    { highWaterMark: 0 },
  );
}
