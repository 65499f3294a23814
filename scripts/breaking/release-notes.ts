/**
 * Prints the CHANGELOG.md section of one version (the GitHub release's notes):
 *   tsx scripts/breaking/release-notes.ts 0.2.0
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** The lines under `## <version>` up to the next `## ` heading; an error naming the version if absent. */
export function releaseNotes(changelog: string, version: string): string {
  const lines = changelog.split(/\r?\n/);
  const start = lines.findIndex((line) => line.trim() === `## ${version}`);
  if (start < 0) throw new Error(`CHANGELOG.md has no "## ${version}" section: run \`npm run release:version\` before tagging`);
  const end = lines.findIndex((line, index) => index > start && /^## /.test(line));
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n').trim();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const version = process.argv[2];
  if (!version) throw new Error('usage: tsx scripts/breaking/release-notes.ts <version>');
  console.log(releaseNotes(readFileSync(new URL('../../CHANGELOG.md', import.meta.url), 'utf8'), version.replace(/^v/, '')));
}
