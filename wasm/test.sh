#!/usr/bin/env bash
# Every test of the WebAssembly package, from a fresh Debian machine (as root): installs what
# is missing (chromium, Node packages; build.sh adds the wasm32 target and the wasm-bindgen CLI),
# checks that the TypeScript types generated from spec/schema are current, builds the package,
# then runs tsc on the declarations, the Node API tests, the shared conformance vectors and the
# browser test of the demo form, and finally test-pack.sh (the packed tarball installed into
# scratch Node and Vite projects). Called by scripts/test-all.
set -euo pipefail
cd "$(dirname "$0")"

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then
    apt-get update
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
}

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "== installing node and npm"
  apt_install nodejs npm
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "== installing chromium"
  apt_install chromium
fi

echo "== npm packages (typescript, playwright-core, binaryen)"
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund
else
  npm install --no-audit --no-fund
fi

echo "== generated TypeScript types are those of spec/schema (scripts/schema-to-ts.mjs)"
generated="$(mktemp -d)"
trap 'rm -rf "$generated"' EXIT
node scripts/schema-to-ts.mjs "$generated" >/dev/null
if ! diff -ru js/generated "$generated"; then
  echo "error: wasm/js/generated/ differs from what spec/schema/ gives (diff above, - committed," >&2
  echo "       + regenerated): run \`node wasm/scripts/schema-to-ts.mjs\` and commit the result" >&2
  exit 1
fi

echo "== build"
./build.sh

echo "== tsc --noEmit (declarations against tests/types/)"
node_modules/.bin/tsc -p tsconfig.json

echo "== node --test: package API, row verdicts, conformance vectors, browser test of the demo form"
node --test tests/api.test.mjs tests/rows.test.mjs tests/rows_left_out.test.mjs tests/draft.test.mjs tests/vectors.test.mjs tests/browser/form.test.mjs

echo "== the npm tarball in scratch projects (test-pack.sh)"
./test-pack.sh
