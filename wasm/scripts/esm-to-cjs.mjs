// Writes the CommonJS twin of an ES module that only declares its exports inline
// (`export class X`, `export function f`, `export const C = ...`) and imports nothing: the
// package's `api.js` becomes `api.cjs` for the Node `require` entry. Anything else (an import,
// `export default`, `export { ... }`) is refused, so the two files cannot silently differ.
//
//   node scripts/esm-to-cjs.mjs js/api.js pkg/api.cjs
import { readFileSync, writeFileSync } from 'node:fs';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node esm-to-cjs.mjs INPUT.js OUTPUT.cjs');
  process.exit(2);
}
const source = readFileSync(input, 'utf8');
const names = [];
const lines = source.split('\n').map((line, i) => {
  const declared = /^export (class|function|const|let) ([A-Za-z_$][\w$]*)/.exec(line);
  if (declared) {
    names.push(declared[2]);
    return line.slice('export '.length);
  }
  if (/^\s*(import|export)\b/.test(line)) {
    console.error(`${input}:${i + 1}: cannot convert to CommonJS: ${line.trim()}`);
    process.exit(1);
  }
  if (/\bimport\.meta\b|\bimport\(/.test(line)) {
    console.error(`${input}:${i + 1}: import.meta or import() has no CommonJS equivalent`);
    process.exit(1);
  }
  return line;
});
if (names.length === 0) {
  console.error(`${input}: no inline exports found`);
  process.exit(1);
}
const header = `'use strict';\n// Generated from ${input.split('/').pop()} by scripts/esm-to-cjs.mjs: do not edit.\n`;
const footer = `\nmodule.exports = { ${names.join(', ')} };\n`;
writeFileSync(output, header + lines.join('\n').replace(/\n*$/, '\n') + footer);
