import type { ServerResponse } from 'node:http';

/**
 * A vendor's handler that writes `total` bytes of `type` as fast as its reader takes them, and
 * counts what it got written: how far ahead of a slow caller something on the way has read.
 */
export function streamedAnswer(total: number, type: string) {
  let written = 0;
  const handle = (_: unknown, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': type, 'content-length': String(total) });
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const more = () => {
      while (written < total) {
        written += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', more);
      }
      res.end();
    };
    more();
  };
  return {
    handle,
    written: () => written,
    /** Until the vendor stops being read (ten 50 ms looks without a byte more) or has sent it all; then what it wrote. */
    async whenStill(): Promise<number> {
      for (let last = -1, still = 0; still < 10 && written < total; still = written === last ? still + 1 : 0, last = written) await new Promise((resolve) => setTimeout(resolve, 50));
      return written;
    },
  };
}
