/**
 * Which answers are still being recorded: a recording fetch (recording-fetch.ts) notes each answer
 * here while it reads its body, and a client waits for, or lets go of, an answer's recording
 * through it. Apart from the recording fetch, which a client loads only when `record` is set (CLIENT-231).
 */

/** The recording of each answer still reading its copy: when it is done, and how to let it go. */
export const recordings = new WeakMap<Response, { done: Promise<void>; letGo: () => void }>();

/** Resolves once the exchange that brought `response` is recorded (at once for one not recorded). Never rejects. */
export const recorded = (response: Response): Promise<void> => recordings.get(response)?.done ?? Promise.resolve();

/**
 * Stops recording an answer whose body the client lets go unread (a 401 it resends, a refusal it
 * retries): the copy is cancelled with it, or the connection stayed open until the vendor
 * finished sending (CLIENT-59). The exchange is recorded as let go.
 */
export const stopRecording = (response: Response): void => recordings.get(response)?.letGo();
