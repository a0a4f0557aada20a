/**
 * docs/ag-ui.md's TypeScript blocks compile as written, each on its own, against the built
 * package as a user imports it (`agentcore-lite`, `agentcore-lite/ag-ui`).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const GUIDE = join(ROOT, 'docs', 'ag-ui.md');
const TS_BLOCK = /^```ts\n([\s\S]*?)^```$/gm;

/** The options a user's strict ESM project would have, plus this repository's unused-code checks. */
const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2023.d.ts'],
  types: ['node'],
  typeRoots: [join(ROOT, 'node_modules', '@types')],
  strict: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noEmit: true,
  skipLibCheck: true,
};

/** Type-checks `source` as the module at `path`; returns the diagnostics as text. */
function typeCheck(path: string, source: string): string[] {
  const host = ts.createCompilerHost(OPTIONS);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (file) => (file === path ? source : readFile(file));
  host.fileExists = (file) => file === path || ts.sys.fileExists(file);
  host.getSourceFile = (file, language) => (file === path ? ts.createSourceFile(file, source, language) : getSourceFile(file, language));
  const program = ts.createProgram([path], OPTIONS, host);
  return ts
    .getPreEmitDiagnostics(program)
    .map((diagnostic) => `${diagnostic.start === undefined ? '' : `${diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start).line + 1}: `}${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
}

describe('docs/ag-ui.md', () => {
  const blocks = [...readFileSync(GUIDE, 'utf8').matchAll(TS_BLOCK)].map((match) => match[1]!);

  it('has TypeScript blocks to check', () => {
    assert.ok(blocks.length >= 4, `found ${blocks.length}`);
  });

  blocks.forEach((source, index) => {
    it(`block ${index + 1} compiles against the package (${source.split('\n').find((line) => line.startsWith('import'))})`, () => {
      // Inside the repository, so `agentcore-lite` resolves to this package through its `exports`.
      assert.deepEqual(typeCheck(join(ROOT, 'docs', `ag-ui.block-${index + 1}.ts`), source), []);
    });
  });
});
