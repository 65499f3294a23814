/**
 * An answer whose body the recording reads as its caller reads it. The recording read a copy
 * (`Response.clone()`, a tee) as fast as the vendor sent it, and a tee holds what one branch has
 * read and the other not: a caller reading a large answer slowly, or a streamed one never, had the
 * rest of it held in memory (the recording proxy had this fixed in CLIENT-144, the clients not).
 */
import { withStatusText } from './reason-phrase.js';

export interface AnswerReading {
  /** Each chunk, as it is handed to the caller. */
  take(chunk: Uint8Array): void;
  /** The body ended: whole (no error), or failed with `error`. */
  end(error?: unknown): void;
  /** The caller cancelled the body before its end. */
  cancelled(): void;
}

/** What a body's end says when its caller cancelled it: what the tee'd copy the recording read said then. */
export const CANCELLED = 'The body was cancelled';

/**
 * The answer again, its body read through `reading`, at most `ahead` bytes before the caller has
 * read them; undefined where it cannot be made again: no WHATWG body (a null one, node-fetch's
 * Node stream), or a status a Response refuses. The answer's own url, `redirected` and `type` are
 * kept: a Response made anew has none of them. A body that fails (a cut, the call's abort) while
 * the caller holds it back ends the reading then, not when the caller reads again: a failed call
 * waits for its exchanges to be recorded. So does `signal` (the request's) aborting, as fetch ends
 * its own answer's body then: a body that does not follow it (a `fetch` option's in-memory
 * Response) was otherwise never read past `ahead`, and a call that failed with it unread (a
 * guarded stream of the wrong type) waited for its entry for ever.
 */
export function pacedAnswer(response: Response, ahead: number, reading: AnswerReading, signal?: AbortSignal): Response | undefined {
  const body = response.body;
  if (typeof body?.getReader !== 'function' || response.status < 200 || response.status > 599) return undefined;
  const reader = body.getReader();
  let open = true;
  const end = (error?: unknown) => {
    if (!open) return;
    open = false;
    signal?.removeEventListener('abort', onAbort);
    reading.end(error);
  };
  let fail: (error: unknown) => void = () => undefined;
  function onAbort() {
    fail(signal!.reason);
    reader.cancel(signal!.reason).catch(() => undefined);
  }
  const paced = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        fail = (error) => {
          if (!open) return;
          controller.error(error);
          end(error);
        };
        reader.closed.catch(fail);
        // Already aborted (a `fetch` option that answered after the call gave up): ended once the
        // answer is made, not while it is, when the reading's owner did not yet hold it and threw
        // a ReferenceError in place of the answer, recording nothing.
        if (signal?.aborted) queueMicrotask(onAbort);
        else signal?.addEventListener('abort', onAbort, { once: true });
      },
      async pull(controller) {
        let next: ReadableStreamReadResult<Uint8Array>;
        try {
          next = await reader.read();
        } catch (error) {
          if (open) controller.error(error);
          return end(error);
        }
        if (next.done) {
          controller.close();
          return end();
        }
        reading.take(next.value);
        controller.enqueue(next.value);
      },
      cancel(reason) {
        if (open) reading.cancelled();
        open = false;
        return reader.cancel(reason);
      },
    },
    { highWaterMark: ahead, size: (chunk) => chunk.byteLength },
  );
  const answer = withStatusText(response.statusText, (statusText) => new Response(paced, { status: response.status, statusText, headers: response.headers }));
  Object.defineProperties(answer, { url: { value: response.url }, redirected: { value: response.redirected }, type: { value: response.type } });
  return answer;
}
