/**
 * The CI and release workflows say what the README promises: npm test on every push and pull
 * request on Node 20, 22 and 24 (Debian images, .ci/run), and a tag-triggered release that
 * tests, publishes with provenance and attaches the docs site.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { distTag } from './dist-tag.js';
import { releaseNotes } from './release-notes.js';

const workflow = (name: string) => parse(readFileSync(new URL(`../../.github/workflows/${name}`, import.meta.url), 'utf8'));
const runs = (job: { steps: Array<{ run?: string }> }) => job.steps.map((step) => step.run ?? '').join('\n');

describe('CI workflow', () => {
  const ci = workflow('ci.yml');
  it('runs every check on push and pull request, on each claimed Node', () => {
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
    expect(ci.jobs.test.strategy.matrix.node).toEqual([20, 22, 24]);
    expect(ci.jobs.test.container).toBe('node:${{ matrix.node }}-bookworm');
    expect(runs(ci.jobs.test)).toContain('bash .ci/run');
    expect(readFileSync(new URL('../../.ci/run', import.meta.url), 'utf8')).toMatch(/npm ci[^\n]*\nnpm test/);
  });
});

describe('release workflow', () => {
  const release = workflow('release.yml');
  it('runs on version tags, tests first, checks the tag against package.json', () => {
    expect(release.on.push.tags).toEqual(['v*']);
    expect(runs(release.jobs.test)).toContain('bash .ci/run');
    expect(runs(release.jobs.test)).toContain('"v$version"');
    expect(release.jobs.publish.needs).toBe('test');
  });
  it('publishes with provenance and attaches the docs site to the GitHub release', () => {
    expect(release.jobs.publish.permissions).toEqual({ contents: 'write', 'id-token': 'write' });
    const script = runs(release.jobs.publish);
    expect(script).toContain('npm publish --provenance');
    // npm refuses provenance without a repository.url matching the workflow's repository.
    expect(script).toContain('"repository.url=git+https://github.com/$GITHUB_REPOSITORY.git"');
    expect(script).toMatch(/npm pkg set [^\n]*repository\.url[\s\S]*npm publish/);
    expect(script).toMatch(/npm publish [^\n]*--tag "\$\(npx tsx scripts\/breaking\/dist-tag\.ts /);
    expect(script).toContain('npm run docs');
    expect(script).toMatch(/gh release create "\$GITHUB_REF_NAME" "docs-site-\$GITHUB_REF_NAME\.tar\.gz"/);
  });
});

describe('distTag', () => {
  it('publishes a release as latest and a pre-release under its own name, never as latest', () => {
    expect(distTag('1.2.3')).toBe('latest');
    expect(distTag('1.0.0-next.0')).toBe('next');
    expect(distTag('2.0.0-rc.1+build.5')).toBe('rc');
    expect(distTag('1.0.0-0')).toBe('next');
    expect(() => distTag('v1')).toThrow('"v1" is not a semver version');
  });
});

describe('release notes', () => {
  const changelog = '# pkg\n\n## 1.0.0\n\n### Major Changes\n\n- perx: gone\n\n## 0.1.0\n\nFirst.\n';
  it('takes one version section of the changelog', () => {
    expect(releaseNotes(changelog, '1.0.0')).toBe('### Major Changes\n\n- perx: gone');
    expect(releaseNotes(changelog, '0.1.0')).toBe('First.');
  });
  it('refuses a version the changelog does not have, saying what to run', () => {
    expect(() => releaseNotes(changelog, '2.0.0')).toThrow('CHANGELOG.md has no "## 2.0.0" section: run `npm run release:version` before tagging');
  });
  it('has the current version in the committed changelog', () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(releaseNotes(readFileSync(new URL('../../CHANGELOG.md', import.meta.url), 'utf8'), version)).not.toBe('');
  });
});
