// TypeScript declarations generated from the project's JSON Schemas (spec/schema/, written from
// the Rust types by `cargo run -p plan-rules-cli -- schema --out spec/schema`): one file per
// schema, which js/types.d.ts re-exports under the package's public names:
// - `plan.d.ts`: rule sets as the engine writes them (`rules()`; plan.canonical.schema.json);
// - `plan-input.d.ts`: rule sets as they may be given (`new Plan(...)`; plan.schema.json);
// - `dataset.d.ts`: datasets as they may be given (dataset.schema.json);
// - `report.d.ts`: reports and diagnostics as the engine writes them (report.schema.json).
//
//   node wasm/scripts/schema-to-ts.mjs [OUT_DIR]      (default: wasm/js/generated)
//
// The schemas use a small part of JSON Schema (what schemars writes), and every part of it is
// handled here or refused with its location, so a new construct cannot be dropped silently:
// objects with `properties`/`required` (interfaces), maps (`additionalProperties`), arrays,
// `$ref` into `$defs`, `enum`, `const`, `oneOf`/`anyOf`, type lists (`["string", "null"]`).
// A `oneOf` whose variants are objects told apart by one `const` property (a serde tag) gives
// each variant an interface of its own, named after the tag and the union: `type: "rate"` of
// `Rule` is `RateRule`. In the input schemas (rule sets, datasets), a value that may be a JSON
// number or a string (a decimal) also takes a `bigint`, which the package writes as its decimal
// text. The json-schema-to-typescript package was tried first: it names every repeated
// definition anew (`Text1` ... `Text14`) and leaves the rule kinds anonymous.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const outDir = path.resolve(process.argv[2] ?? path.join(here, '../js/generated'));

/** The schemas, and whether each describes input (decimals may be given as numbers). */
const SCHEMAS = [
  { file: 'plan.canonical.schema.json', out: 'plan.d.ts', input: false },
  { file: 'plan.schema.json', out: 'plan-input.d.ts', input: true },
  { file: 'dataset.schema.json', out: 'dataset.d.ts', input: true },
  { file: 'report.schema.json', out: 'report.d.ts', input: false },
];

/** Keywords that carry no type information here (validation details, annotations). */
const IGNORED = new Set([
  '$schema', '$defs', 'title', 'description', 'format', 'pattern', 'minimum', 'maximum', 'default',
  'additionalProperties', 'examples', 'deprecated', 'readOnly', 'writeOnly', 'minItems',
  'maxItems', 'uniqueItems', 'minLength', 'maxLength',
]);

function fail(where, message) {
  throw new Error(`${where}: ${message}`);
}

const pascal = (s) => s.split(/[_\W]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('');
const identifier = (key) => (/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key));

/** A JSDoc comment from a description: Rust code examples and intra-doc link brackets dropped. */
function doc(description, indent) {
  if (!description) return '';
  const text = description
    .replace(/```[\s\S]*?```/g, '')
    .replace(/\[`([^`\]]+)`\]/g, (_, name) => `\`${name.split('::').pop()}\``)
    .replace(/\*\//g, '*\\/')
    .trim();
  if (!text) return '';
  const lines = text.split('\n').map((l) => l.trimEnd());
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => (l ? `${indent} * ${l}` : `${indent} *`)).join('\n')}\n${indent} */\n`;
}

/** The tag property of a oneOf whose variants are objects each with a distinct `const` on it. */
function tagOf(variants) {
  if (variants.length < 2 || !variants.every((v) => v.type === 'object' && v.properties)) return null;
  const candidates = Object.keys(variants[0].properties).filter((k) =>
    variants.every((v) => typeof v.properties[k]?.const === 'string' && v.required?.includes(k)),
  );
  for (const k of candidates) {
    const tags = variants.map((v) => v.properties[k].const);
    if (new Set(tags).size === tags.length) return k;
  }
  return null;
}

function generate({ file, input }) {
  const schema = JSON.parse(readFileSync(path.join(root, 'spec/schema', file), 'utf8'));
  const defs = schema.$defs ?? {};
  const rootName = schema.title ?? fail(file, 'the root schema has no title');
  if (defs[rootName]) fail(file, `a definition is named like the root, ${rootName}`);
  const out = [];

  function checkKeys(s, where, known) {
    for (const k of Object.keys(s)) {
      if (!known.has(k) && !IGNORED.has(k)) fail(where, `unsupported schema keyword \`${k}\``);
    }
  }

  /** The TypeScript type of a schema. */
  function type(s, where, indent) {
    if (s === true) return 'unknown';
    if (s === false) return 'never';
    if (s.$ref) {
      checkKeys(s, where, new Set(['$ref']));
      const m = /^#\/\$defs\/(.+)$/.exec(s.$ref) ?? fail(where, `unsupported $ref ${s.$ref}`);
      if (!defs[m[1]]) fail(where, `$ref to a missing definition ${m[1]}`);
      return m[1];
    }
    if (s.enum) {
      checkKeys(s, where, new Set(['enum', 'type']));
      return s.enum.map((v) => JSON.stringify(v)).join(' | ');
    }
    if ('const' in s) {
      checkKeys(s, where, new Set(['const', 'type']));
      return JSON.stringify(s.const);
    }
    const union = s.oneOf ?? s.anyOf;
    if (union) {
      checkKeys(s, where, new Set(['oneOf', 'anyOf']));
      const parts = union.map((v, i) => type(v, `${where}/${s.oneOf ? 'oneOf' : 'anyOf'}/${i}`, indent));
      return withBigint([...new Set(parts)]).join(' | ');
    }
    if (Array.isArray(s.type)) {
      const rest = { ...s };
      delete rest.type;
      const parts = s.type.map((t) => type({ ...rest, type: t }, where, indent));
      return withBigint(parts).join(' | ');
    }
    switch (s.type) {
      case 'string':
      case 'boolean':
      case 'null':
        checkKeys(s, where, new Set(['type']));
        return s.type;
      case 'integer':
      case 'number':
        checkKeys(s, where, new Set(['type']));
        return 'number';
      case 'array': {
        checkKeys(s, where, new Set(['type', 'items']));
        const item = s.items ? type(s.items, `${where}/items`, indent) : 'unknown';
        return /[|&]/.test(item) ? `(${item})[]` : `${item}[]`;
      }
      case 'object':
        return objectType(s, where, indent);
      default:
        return fail(where, `unsupported type ${JSON.stringify(s.type)}`);
    }
  }

  /** A JSON number or string also takes a bigint in input schemas. */
  function withBigint(parts) {
    if (input && parts.includes('number') && parts.includes('string') && !parts.includes('bigint')) {
      parts.splice(parts.indexOf('number') + 1, 0, 'bigint');
    }
    return parts;
  }

  function objectType(s, where, indent) {
    checkKeys(s, where, new Set(['type', 'properties', 'required']));
    const map = s.additionalProperties;
    if (!s.properties) {
      if (map && typeof map === 'object') {
        return `Record<string, ${type(map, `${where}/additionalProperties`, indent)}>`;
      }
      return 'Record<string, unknown>';
    }
    const required = new Set(s.required ?? []);
    for (const r of required) if (!(r in s.properties)) fail(where, `required \`${r}\` is not a property`);
    const inner = `${indent}  `;
    const fields = Object.entries(s.properties).map(
      ([k, v]) =>
        `${doc(v.description, inner)}${inner}${identifier(k)}${required.has(k) ? '' : '?'}: ${type(v, `${where}/properties/${k}`, inner)};`,
    );
    return `{\n${fields.join('\n')}\n${indent}}`;
  }

  /** One named declaration: an interface for an object, a type alias otherwise. */
  function declare(name, s, where) {
    const variants = s.oneOf;
    const tag = variants && tagOf(variants);
    if (tag) {
      const names = variants.map((v) => `${pascal(v.properties[tag].const)}${name}`);
      out.push(`${doc(s.description, '')}export type ${name} =\n${names.map((n) => `  | ${n}`).join('\n')};\n`);
      variants.forEach((v, i) => declare(names[i], v, `${where}/oneOf/${i}`));
      return;
    }
    if (s.type === 'object' && s.properties && !s.oneOf && !s.anyOf) {
      out.push(`${doc(s.description, '')}export interface ${name} ${objectType(s, where, '')}\n`);
      return;
    }
    out.push(`${doc(s.description, '')}export type ${name} = ${type(s, where, '')};\n`);
  }

  declare(rootName, schema, file);
  for (const [name, s] of Object.entries(defs).sort(([a], [b]) => a.localeCompare(b))) {
    declare(name, s, `${file}#/$defs/${name}`);
  }
  const header =
    `// Generated from spec/schema/${file} by wasm/scripts/schema-to-ts.mjs: do not edit.\n` +
    '// Regenerate with `node wasm/scripts/schema-to-ts.mjs` (wasm/README.md, *Types*).\n\n';
  return { schema, text: header + out.join('\n') };
}

/** The report's rule kinds must be the rule set's: the report schema lists them by hand. */
function checkRuleKinds(plan, report) {
  const ruleKinds = plan.$defs.Rule.oneOf.map((v) => v.properties.type.const).sort();
  const reportKinds = [...report.$defs.TargetResult.properties.kind.enum].sort();
  if (JSON.stringify(ruleKinds) !== JSON.stringify(reportKinds)) {
    fail(
      'report.schema.json#/$defs/TargetResult/properties/kind',
      `the rule kinds [${reportKinds}] differ from the rule set schema's [${ruleKinds}]: update the` +
        " list on TargetResult::kind in core/src/report.rs",
    );
  }
}

try {
  const results = SCHEMAS.map((s) => ({ ...s, ...generate(s) }));
  checkRuleKinds(results[0].schema, results[3].schema);
  mkdirSync(outDir, { recursive: true });
  for (const r of results) writeFileSync(path.join(outDir, r.out), r.text);
  console.log(`wrote ${results.map((r) => r.out).join(', ')} to ${path.relative(process.cwd(), outDir) || '.'}`);
} catch (e) {
  console.error(`error: ${e.message}`);
  process.exit(1);
}
