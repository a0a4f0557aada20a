// Builds the shipped package layout from tsc's CommonJS output (dist/cjs-modules):
//
//   dist/cjs/modules.js          every module that loading the library runs, each as a factory
//                                in one file; a module runs the first time it is required, as
//                                with Node's own loader
//   dist/cjs/modules-on-demand.js  the modules only reached through a lazy `import()`
//                                (WebSocket, streaming), read the first time one is needed
//   dist/cjs/index.js            the entry points: one line each, loading from modules.js
//   dist/cjs/websocket/index.js
//   dist/cjs/package.json        {"type":"commonjs"}
//   dist/esm/index.js            ESM entries over the same instances (createRequire), so
//   dist/esm/websocket.js        `import` and `require` share one copy of every class
//
// Why: opening, resolving and wrapping ~30 small files costs a container several milliseconds
// at every cold start; one file costs one read, and code a server may never use (WebSocket,
// streaming) is not even parsed until it is.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';

const SOURCE_DIR = 'dist/cjs-modules';
const CJS_DIR = 'dist/cjs';
const ESM_DIR = 'dist/esm';
/** Entry name (ESM file) → module id inside the bundle. */
const ENTRIES = { index: 'index.js', websocket: 'websocket/index.js' };

/** tsc's form of a dynamic `import('./x.js')` in CommonJS: the edge to an on-demand module. */
const LAZY_REQUIRE = /Promise\.resolve\(\)\.then\(\(\) => require\('([^']+)'\)\)/g;
/** Any require in tsc's output: the library's own modules (relative) and Node's (`node:`). */
const REQUIRE = /require\((["'])([^"']+)["']\)/g;

const LOADER = `'use strict';
const cache = new Map();
let onDemandRead = false;
function load(id) {
  const loaded = cache.get(id);
  if (loaded !== undefined) return loaded.exports;
  if (!(id in factories) && !onDemandRead) {
    onDemandRead = true;
    Object.assign(factories, require('./modules-on-demand.js'));
  }
  const factory = factories[id];
  if (factory === undefined) throw new Error('agentcore-lite: no module ' + id + ' in the bundle');
  const module = { exports: {} };
  cache.set(id, module);
  factory.call(module.exports, module.exports, requireBundled, module);
  return module.exports;
}
function requireBundled(specifier) {
  return specifier.startsWith('node:') ? require(specifier) : load(specifier);
}
module.exports = load;
`;

function listModules(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...listModules(path));
    else if (entry.name.endsWith('.js')) found.push(path);
  }
  return found.sort();
}

/**
 * What module `id` means by `specifier`: Node's own modules stay as they are; the library's
 * relative specifiers become ids in the bundle ('websocket/errors.js'), resolved here once.
 * @throws Error for a bare package name: the library has no dependencies.
 */
function bundledId(id, specifier) {
  if (specifier.startsWith('node:')) return specifier;
  if (!specifier.startsWith('.')) throw new Error(`build-package: ${id} requires '${specifier}', not a node: builtin`);
  const parts = id.split('/').slice(0, -1);
  for (const part of specifier.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.') parts.push(part);
  }
  return parts.join('/');
}

/** The ids reached from `entry` through static requires (not through lazy `import()`). */
function staticClosure(modules, entry) {
  const reached = new Set();
  const pending = [entry];
  while (pending.length > 0) {
    const id = pending.pop();
    if (reached.has(id)) continue;
    reached.add(id);
    const source = modules.get(id);
    if (source === undefined) throw new Error(`build-package: ${id} is required but was not compiled`);
    const lazy = new Set(Array.from(source.matchAll(LAZY_REQUIRE), (match) => match[1]));
    for (const [, , specifier] of source.matchAll(REQUIRE)) {
      if (!specifier.startsWith('node:') && !lazy.has(specifier)) pending.push(specifier);
    }
  }
  return reached;
}

/**
 * One factory per module. `eager` factories are parenthesized: V8 then compiles them with the
 * file instead of pre-parsing them and parsing them again when called (measured: ~0.6 ms less
 * to load the library); right for the modules every start runs, wasted on the others.
 */
function factories(modules, ids, eager) {
  const [open, close] = eager ? ['(', ')'] : ['', ''];
  return ids
    .map((id) => `${JSON.stringify(id)}: ${open}function (exports, require, module) {\n${modules.get(id)}}${close},\n`)
    .join('');
}

function bundle() {
  const modules = new Map();
  for (const file of listModules(SOURCE_DIR)) {
    const id = relative(SOURCE_DIR, file).split(sep).join('/');
    const source = readFileSync(file, 'utf8').replace(/^"use strict";\n/, '');
    modules.set(id, source.replace(REQUIRE, (_call, quote, specifier) => `require(${quote}${bundledId(id, specifier)}${quote})`));
  }
  const atStartup = staticClosure(modules, ENTRIES.index);
  const onDemand = [...modules.keys()].filter((id) => !atStartup.has(id));
  return {
    main: `${LOADER}const factories = {\n${factories(modules, [...atStartup].sort(), true)}};\n`,
    onDemand: `'use strict';\nmodule.exports = {\n${factories(modules, onDemand, false)}};\n`,
  };
}

mkdirSync(join(CJS_DIR, 'websocket'), { recursive: true });
mkdirSync(ESM_DIR, { recursive: true });
const { main, onDemand } = bundle();
writeFileSync(join(CJS_DIR, 'modules.js'), main);
writeFileSync(join(CJS_DIR, 'modules-on-demand.js'), onDemand);
writeFileSync(join(CJS_DIR, 'package.json'), '{"type":"commonjs"}\n');
const require = createRequire(import.meta.url);
for (const [name, id] of Object.entries(ENTRIES)) {
  const cjsFile = join(CJS_DIR, id);
  const toModules = relative(join(cjsFile, '..'), join(CJS_DIR, 'modules.js')).split(sep).join('/');
  const specifier = toModules.startsWith('.') ? toModules : `./${toModules}`;
  writeFileSync(cjsFile, `'use strict';\nmodule.exports = require('${specifier}')('${id}');\n`);
  const names = Object.keys(require(join(process.cwd(), cjsFile))).filter((key) => key !== '__esModule');
  writeFileSync(
    join(ESM_DIR, `${name}.js`),
    `import { createRequire } from 'node:module';\n` +
      `const lib = createRequire(import.meta.url)('../cjs/${id}');\n` +
      `export const { ${names.join(', ')} } = lib;\n`,
  );
  writeFileSync(join(ESM_DIR, `${name}.d.ts`), `export * from '../cjs/${id}';\n`);
}
rmSync(SOURCE_DIR, { recursive: true, force: true });
