/**
 * The declarations build:lib leaves out are those no entry point's types reach, as TypeScript
 * resolves them: an import, an `export … from`, an `import("…")` type and a triple-slash
 * reference keep a file; a file named only in a comment, or not at all, goes.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeclarationsError, unreachedDeclarations } from './unreached-declarations.js';

function fixture(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'unreached-declarations-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

describe('declarations no entry point reaches', () => {
  it('are those no import of any form reaches from the entries’ types (the bin’s go; an entry’s .js target keeps the .d.ts beside it)', () => {
    const dir = fixture({
      'package.json': JSON.stringify({ exports: { './a': { types: './dist/a.d.ts', default: './dist/a.js' }, './tool': './dist/tool/index.js', './package.json': './package.json' }, bin: { x: './dist/cli.js' } }),
      // A triple-slash reference counts only above every statement, as TypeScript reads it.
      'dist/a.d.ts': "/// <reference path=\"./referenced.d.ts\" />\nimport type { B } from './b.js';\nexport * from './re/exported.js';\nexport type C = import('./c.js').C;\n// see './commented.js'\nexport declare const b: B;\n",
      'dist/b.d.ts': "export type B = import('./deep/d.js').D;\n",
      'dist/c.d.ts': 'export type C = 1;\n',
      'dist/deep/d.d.ts': 'export type D = 2;\n',
      'dist/re/exported.d.ts': 'export declare const e: 3;\n',
      'dist/referenced.d.ts': 'declare const r: 4;\n',
      'dist/commented.d.ts': 'export {};\n',
      'dist/tool/index.d.ts': 'export {};\n',
      'dist/cli.d.ts': 'export {};\n',
      'dist/orphan.d.ts': 'export {};\n',
    });
    try {
      expect(unreachedDeclarations(dir)).toEqual(['dist/cli.d.ts', 'dist/commented.d.ts', 'dist/orphan.d.ts']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names an entry whose types were not emitted, not a stack trace", () => {
    const dir = fixture({ 'package.json': JSON.stringify({ exports: { './a': { types: './dist/a.d.ts', default: './dist/a.js' } } }) });
    try {
      expect(() => unreachedDeclarations(dir)).toThrow(DeclarationsError);
      expect(() => unreachedDeclarations(dir)).toThrow('package.json exports "./a": its types, ./dist/a.d.ts, were not emitted');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
