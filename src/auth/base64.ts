/**
 * Bytes as a string of one character per byte (what btoa takes), usable in browsers and Node alike.
 * In slices of 4 KiB, as `apply`'s arguments: String.fromCharCode takes them on the stack, and
 * spread (`...slice`) walked each 32 KiB slice through its iterator, 3 s for a 5 MB upload a
 * recording masks (about 0.15 s now; larger slices are slower).
 */
export function byteString(bytes: Uint8Array): string {
  const slices: string[] = [];
  for (let i = 0; i < bytes.length; i += 0x1000) slices.push(String.fromCharCode.apply(null, bytes.subarray(i, i + 0x1000) as unknown as number[]));
  return slices.join('');
}

/**
 * A string of one character per byte (`byteString`'s) back as its bytes, read by index.
 * `Uint8Array.from(text, …)` first listed every character: a 200 MB upload with `record` on ran
 * the process out of memory.
 */
export function stringBytes(binary: string): Uint8Array {
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Bytes as base64, usable in browsers and Node alike (no Buffer). */
export function base64Bytes(bytes: Uint8Array): string {
  return btoa(byteString(bytes));
}

/** UTF-8 safe base64 of a text (btoa alone only takes Latin-1). */
export function base64(text: string): string {
  return base64Bytes(new TextEncoder().encode(text));
}
