#!/usr/bin/env bash
# The npm package as a web developer installs it: `npm pack` of pkg/ (built by build.sh), a
# check of the tarball (package.json fields, every path its "exports" name is inside), then, in
# scratch projects under a temporary folder:
# - a Node project: `npm install <tarball>`, an ES-module program (import) and a CommonJS one
#   (require) that evaluate and validate with the embedded plan, and `tsc` on a TypeScript ES
#   module and CommonJS module that use the package's declarations;
# - Vite apps (committed package.json and lock in tests/vite-app and tests/vite7-app, installed
#   with `npm ci`, then the tarball): tests/pack/vite.test.mjs in Chromium.
# Called by test.sh after the build; needs wasm/node_modules (npm ci) and /usr/bin/chromium.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
start=$(date +%s)

[ -f pkg/package.json ] || { echo "error: no pkg/package.json: run wasm/build.sh first" >&2; exit 1; }
scratch="$(mktemp -d "${TMPDIR:-/tmp}/plan-rules-pack.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
npm_quiet=(--no-audit --no-fund --loglevel=error)

echo "== npm pack"
tarball="$scratch/$(cd pkg && npm pack --silent --pack-destination "$scratch")"
echo "   $(basename "$tarball"): $(stat -c %s "$tarball") bytes"
node --input-type=commonjs - "$tarball" <<'EOF'
// The tarball's package.json and files: every path the manifest names must be packed.
const { execFileSync } = require('node:child_process');
const tarball = process.argv[2];
const files = new Set(
  execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).trim().split('\n').map((f) => f.replace(/^package\//, '')),
);
const manifest = JSON.parse(execFileSync('tar', ['xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));
const problems = [];
for (const field of ['name', 'version', 'license', 'description', 'main', 'types', 'exports', 'files']) {
  if (manifest[field] === undefined) problems.push(`package.json has no "${field}"`);
}
if (manifest.license !== 'Apache-2.0') problems.push(`license is ${manifest.license}`);
for (const file of ['LICENSE', 'README.md', 'web/plan_rules_wasm_bg.wasm']) {
  if (!files.has(file)) problems.push(`${file} is not packed`);
}
const paths = [];
const walk = (v, where) => {
  if (typeof v === 'string') paths.push([v, where]);
  else for (const [k, w] of Object.entries(v)) walk(w, `${where}.${k}`);
};
walk(manifest.exports, 'exports');
for (const f of ['main', 'module', 'browser', 'types']) if (manifest[f]) paths.push([manifest[f], f]);
for (const [p, where] of paths) {
  if (!files.has(p.replace(/^\.\//, ''))) problems.push(`${where} names ${p}, which is not packed`);
}
const conditions = manifest.exports['.'];
for (const c of ['node', 'browser', 'default']) if (!conditions[c]) problems.push(`exports["."] has no "${c}"`);
for (const c of ['import', 'require']) if (!conditions.node?.[c]) problems.push(`exports["."].node has no "${c}"`);
if (problems.length) {
  console.error(`error: the packed package is incomplete:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`   ${files.size} files; every path of package.json is packed`);
EOF

echo "== a Node project: npm install of the tarball, import and require"
node_app="$scratch/node-app"
mkdir -p "$node_app"
printf '{ "name": "scratch-node-app", "private": true }\n' > "$node_app/package.json"
(cd "$node_app" && npm install "${npm_quiet[@]}" "$tarball")
cp tests/pack/consumer.mjs tests/pack/consumer.cjs tests/pack/types.mts tests/pack/types.cts \
  tests/pack/tsconfig.json "$node_app/"
(cd "$node_app" && node consumer.mjs && node consumer.cjs)
echo "   tsc on a TypeScript ES module and CommonJS module using the package"
(cd "$node_app" && "$here/node_modules/.bin/tsc" -p tsconfig.json)

echo "== Vite apps: npm ci, then the tarball"
install_app() {  # committed package.json + lock from $1, the app's sources, the tarball
  local from="$1" to="$2"
  mkdir -p "$to"
  cp "$from/package.json" "$from/package-lock.json" "$to/"
  cp tests/vite-app/index.html tests/vite-app/main.js tests/vite-app/ssr.mjs \
    tests/vite-app/vite.config.js "$to/"
  (cd "$to" && npm ci "${npm_quiet[@]}" && npm install --no-save "${npm_quiet[@]}" "$tarball")
  local want have
  want="$(node -p "require('$from/package.json').devDependencies.vite")"
  have="$(node -p "require('$to/node_modules/vite/package.json').version")"
  if [ "$want" != "$have" ]; then
    echo "error: $to has vite $have installed, the lock pins $want" >&2
    exit 1
  fi
  echo "   $(basename "$to"): vite $have"
}
install_app "$here/tests/vite-app" "$scratch/vite-app"
install_app "$here/tests/vite7-app" "$scratch/vite7-app"

echo "== node --test tests/pack/vite.test.mjs (Chromium)"
VITE_APP="$scratch/vite-app" VITE7_APP="$scratch/vite7-app" node --test tests/pack/vite.test.mjs
echo "   pack test took $(( $(date +%s) - start )) s"
