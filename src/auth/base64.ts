/** UTF-8 safe base64, usable in browsers and Node alike (btoa alone only takes Latin-1). */
export function base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
