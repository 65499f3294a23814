/** Bytes as base64, usable in browsers and Node alike (no Buffer). */
export function base64Bytes(bytes: Uint8Array): string {
  let binary = '';
  // In slices: String.fromCharCode takes its arguments on the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** UTF-8 safe base64 of a text (btoa alone only takes Latin-1). */
export function base64(text: string): string {
  return base64Bytes(new TextEncoder().encode(text));
}
