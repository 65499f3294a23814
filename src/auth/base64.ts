/** Bytes as a string of one character per byte (what btoa takes), usable in browsers and Node alike. */
export function byteString(bytes: Uint8Array): string {
  let binary = '';
  // In slices: String.fromCharCode takes its arguments on the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return binary;
}

/** Bytes as base64, usable in browsers and Node alike (no Buffer). */
export function base64Bytes(bytes: Uint8Array): string {
  return btoa(byteString(bytes));
}

/** UTF-8 safe base64 of a text (btoa alone only takes Latin-1). */
export function base64(text: string): string {
  return base64Bytes(new TextEncoder().encode(text));
}
