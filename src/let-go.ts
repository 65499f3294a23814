import { stopRecording } from './record/recordings.js';

/**
 * Lets an answer's body go unread, releasing its connection: the copy a recording reads too. A
 * WHATWG body is cancelled; a Response-like answer's may be a Node Readable with no `cancel`
 * (node-fetch's), and is destroyed.
 * Never throws: the answer is being dropped either way.
 */
export async function letGo(response: Response): Promise<void> {
  stopRecording(response);
  const body = response.body as unknown as { cancel?: () => Promise<void>; destroy?: () => void } | null | undefined;
  try {
    if (typeof body?.cancel === 'function') await body.cancel();
    else if (typeof body?.destroy === 'function') body.destroy();
  } catch {
    // A body already locked or ended: nothing left to release.
  }
}
