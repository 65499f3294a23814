/**
 * The charset a media type names, as TextDecoder calls it, where it is not UTF-8 and TextDecoder
 * reads it; else undefined (none named, UTF-8, or a charset TextDecoder does not know, read as if
 * none were named). Both readings of an answer ask it: the recorded text (recording-fetch.ts) and
 * the scan of one over the limit (over-limit-scan.ts).
 */
export function declaredCharset(mimeType: string): string | undefined {
  const label = /;\s*charset="?([^";\s]+)/i.exec(mimeType)?.[1];
  if (label === undefined) return undefined;
  try {
    const { encoding } = new TextDecoder(label);
    return encoding === 'utf-8' ? undefined : encoding;
  } catch {
    return undefined;
  }
}
