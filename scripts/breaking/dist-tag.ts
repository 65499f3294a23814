/**
 * The npm dist-tag a version is published under: `latest` for a release, the pre-release's own
 * name for a pre-release (`1.0.0-next.0` → `next`, as `changeset pre enter next` names them).
 * Published without one, npm 10 put a pre-release on `latest` (what a plain install gets) and
 * npm 11 refuses it.
 *   tsx scripts/breaking/dist-tag.ts 1.0.0-next.0   → next
 */
import { pathToFileURL } from 'node:url';

export function distTag(version: string): string {
  const pre = /^\d+\.\d+\.\d+-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)(?:\+.*)?$/.exec(version)?.[1];
  if (pre === undefined) {
    if (!/^\d+\.\d+\.\d+(?:\+.*)?$/.test(version)) throw new Error(`"${version}" is not a semver version (x.y.z or x.y.z-pre)`);
    return 'latest';
  }
  // A pre-release numbered only (`1.0.0-0`, npm version prerelease's default) has no name: `next`.
  const name = pre.split('.')[0]!;
  return /^\d+$/.test(name) ? 'next' : name;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const version = process.argv[2];
  if (!version) throw new Error('usage: tsx scripts/breaking/dist-tag.ts <version>');
  console.log(distTag(version.replace(/^v/, '')));
}
