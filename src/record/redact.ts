import { base64 } from '../auth/base64.js';

/**
 * Masks secret values wherever they appear in text that is printed or written: the values
 * themselves, and the Basic-auth and URL-encoded forms they take on the wire.
 */
export function createRedactor(secrets: string[]) {
  // A value as given, and as sent: fetch trims the whitespace a header value read from a file ends with.
  const values = [...new Set(secrets.flatMap((s) => [s, s.trim()]))].filter((s) => s.length >= 4);
  const forms = new Set<string>();
  for (const value of values) {
    forms.add(value);
    forms.add(encodeURIComponent(value));
    for (const other of values) forms.add(base64(`${value}:${other}`));
  }
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  return (text: string) => ordered.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
}
