/**
 * The repository stands on its own: nothing under src/, scripts/ or contract-tests/ reads the
 * workspace's shared notes folder (a sibling of the clone that a user's clone does not have).
 * What a test needs from there is copied into the repo as a fixture that names its source.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './lib/vendors.js';

// Built from parts, so this file does not match itself.
const SHARED = 'shared';
const PATTERNS = [new RegExp(`\\.\\./(\\.\\./)*${SHARED}\\b`), new RegExp(`/work/${SHARED}\\b`)];
const TREES = ['src', 'scripts', 'contract-tests'];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : files(path);
    // Code only: fixtures and comments may name the notes they were copied from.
    return /\.(c|m)?(t|j)s$/.test(entry.name) ? [path] : [];
  });
}

const isComment = (line: string) => /^\s*(\/\/|\/?\*)/.test(line);

export function sharedReferences(trees = TREES, base = root): string[] {
  return trees.flatMap((tree) =>
    files(join(base, tree)).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => (!isComment(line) && PATTERNS.some((p) => p.test(line)) ? [`${relative(base, file)}:${i + 1}: ${line.trim()}`] : [])),
    ),
  );
}

describe('the repository stands on its own', () => {
  it(`nothing under ${TREES.join(', ')} refers to ../${SHARED}`, () => {
    expect(sharedReferences()).toEqual([]);
  });

  it('the check finds such a reference (so it can fail)', () => {
    const line = `readFileSync(new URL('../../${SHARED}/seeds/x.txt', import.meta.url))`;
    expect(PATTERNS.some((p) => p.test(line))).toBe(true);
    expect(PATTERNS.some((p) => p.test(`readFileSync('fixtures/vendor-notes/x.md')`))).toBe(false);
    expect(isComment(` * copied from ../${SHARED}/vendors/perx.md §5.1`)).toBe(true);
  });

  it('walks every code file of the trees, and only code: .ts, .mts, .cts, .js, .mjs, .cjs, at any depth, outside node_modules', () => {
    const reference = `import x from '../../${SHARED}/x';`;
    const planted: Record<string, string> = {
      'src/a.ts': reference,
      'src/deep/er/b.mts': reference,
      'src/c.cts': reference,
      'scripts/d.js': reference,
      'scripts/e.mjs': reference,
      'contract-tests/f.cjs': reference,
      // Not code, not walked, or a comment: none of these is a reference.
      'src/notes.md': reference,
      'src/data.json': JSON.stringify(reference),
      'src/node_modules/dep/index.js': reference,
      'src/commented.ts': `// ${reference}`,
      'docs/g.ts': reference,
    };
    const base = mkdtempSync(join(tmpdir(), 'standalone-'));
    try {
      for (const [file, text] of Object.entries(planted)) {
        mkdirSync(dirname(join(base, file)), { recursive: true });
        writeFileSync(join(base, file), `const ok = 1;\n${text}\n`);
      }
      expect(sharedReferences(TREES, base).sort()).toEqual(
        ['src/a.ts', 'src/deep/er/b.mts', 'src/c.cts', 'scripts/d.js', 'scripts/e.mjs', 'contract-tests/f.cjs'].map((file) => `${file}:2: ${reference}`).sort(),
      );
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
