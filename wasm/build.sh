#!/usr/bin/env bash
# Builds the plan-rules WebAssembly package into wasm/pkg/ (git-ignored) and copies the web
# build into wasm/demo/pkg/ for the demo form.
#
#   wasm/build.sh            build, optimise, write package.json and type declarations
#   SKIP_WASM_OPT=1 build.sh skip wasm-opt (faster, larger)
#
# Installs what is missing: the wasm32 target, and the wasm-bindgen CLI at exactly the version
# Cargo.lock pins (the crate and the CLI must match). wasm-opt comes from npm's `binaryen`
# (wasm/node_modules, installed by test.sh / `npm ci`) or from PATH; without it the build goes
# on unoptimised, with a warning.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

profile=wasm-release
crate=plan_rules_wasm
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
wasm="$target_dir/wasm32-unknown-unknown/$profile/$crate.wasm"
pkg="$here/pkg"

# --- tools ---------------------------------------------------------------------------------
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "== installing the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

bindgen_version="$(python3 - "$root/Cargo.lock" <<'EOF'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'\[\[package\]\]\nname = "wasm-bindgen"\nversion = "([^"]+)"', text)
print(m.group(1) if m else "")
EOF
)"
if [ -z "$bindgen_version" ]; then
  echo "error: wasm-bindgen is not in Cargo.lock" >&2
  exit 1
fi
have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$have" != "$bindgen_version" ]; then
  echo "== installing wasm-bindgen-cli $bindgen_version (found: ${have:-none}); takes a few minutes"
  # No --locked: the registry may lack one of the CLI's locked dependency versions.
  cargo install wasm-bindgen-cli --version "$bindgen_version"
fi

# --- compile -------------------------------------------------------------------------------
echo "== cargo build -p plan-rules-wasm --target wasm32-unknown-unknown --profile $profile"
cargo build -p plan-rules-wasm --target wasm32-unknown-unknown --profile "$profile"

# --- bindings ------------------------------------------------------------------------------
# One `.wasm` in the package (web/), shared by every entry: the browser's and Node's ES-module
# entries run the web glue; the CommonJS entry runs the nodejs glue, pointed at web/.
rm -rf "$pkg"
mkdir -p "$pkg/web" "$pkg/node"
nodejs_out="$target_dir/wasm-bindgen-nodejs"
rm -rf "$nodejs_out"
wasm-bindgen "$wasm" --target web --out-dir "$pkg/web" --no-typescript --weak-refs
wasm-bindgen "$wasm" --target nodejs --out-dir "$nodejs_out" --no-typescript --weak-refs
if ! cmp -s "$pkg/web/${crate}_bg.wasm" "$nodejs_out/${crate}_bg.wasm"; then
  echo "error: the web and nodejs .wasm differ; the package cannot share one" >&2
  exit 1
fi
python3 - "$nodejs_out/$crate.js" "$pkg/node/$crate.cjs" <<'EOF'
import sys
source, target = sys.argv[1], sys.argv[2]
text = open(source, encoding="utf-8").read()
old = "const wasmPath = `${__dirname}/plan_rules_wasm_bg.wasm`;"
new = "const wasmPath = require('path').join(__dirname, '..', 'web', 'plan_rules_wasm_bg.wasm');"
if text.count(old) != 1:
    sys.exit(f"error: {source}: wasm-bindgen's nodejs glue no longer says `{old}`; update build.sh")
open(target, "w", encoding="utf-8").write(text.replace(old, new))
EOF

# --- optimise ------------------------------------------------------------------------------
wasm_opt=""
if [ -x "$here/node_modules/.bin/wasm-opt" ]; then
  wasm_opt="$here/node_modules/.bin/wasm-opt"
elif command -v wasm-opt >/dev/null 2>&1; then
  wasm_opt="$(command -v wasm-opt)"
fi
raw_size="$(stat -c %s "$pkg/web/${crate}_bg.wasm")"
if [ -n "$wasm_opt" ] && [ -z "${SKIP_WASM_OPT:-}" ]; then
  echo "== wasm-opt -Oz ($("$wasm_opt" --version))"
  # The features rustc enables by default for wasm32 (bulk memory, sign extension,
  # non-trapping float-to-int, multi-value, reference types).
  f="$pkg/web/${crate}_bg.wasm"
  "$wasm_opt" -Oz --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$f" -o "$f.opt"
  mv "$f.opt" "$f"
else
  echo "warning: wasm-opt not found (run npm ci in wasm/); the .wasm is not size-optimised" >&2
fi

# --- JS wrapper, declarations, package.json --------------------------------------------------
version="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"]=="plan-rules-wasm"))')"
cp "$here/js/api.js" "$pkg/"
node "$here/scripts/esm-to-cjs.mjs" "$here/js/api.js" "$pkg/api.cjs"
# The declarations, once as ES-module files (.d.ts, the package is "type": "module") and once
# as CommonJS ones (.d.cts, importing each other by .cjs names) for `require`.
cp -r "$here/js/generated" "$pkg/generated"
cp "$here/js/types.d.ts" "$pkg/"
for f in "$pkg"/types.d.ts "$pkg"/generated/*.d.ts; do
  sed -E "s#(from '\.{1,2}/[^']+)\.js'#\1.cjs'#" "$f" > "${f%.d.ts}.d.cts"
done
cp "$here/js/web.js" "$pkg/web/index.js"
cp "$here/js/web.d.ts" "$pkg/web/index.d.ts"
cp "$here/js/node.mjs" "$pkg/node/index.mjs"
cp "$here/js/node.d.mts" "$pkg/node/index.d.mts"
cp "$here/js/node.cjs" "$pkg/node/index.cjs"
cp "$here/js/node.d.cts" "$pkg/node/index.d.cts"
cp "$here/LICENSE" "$here/README.md" "$pkg/"
cat > "$pkg/package.json" <<EOF
{
  "name": "plan-rules-wasm",
  "version": "$version",
  "description": "Typed, checkable rules for the quantitative targets of development plans (WebAssembly build of plan-rules)",
  "license": "Apache-2.0",
  "keywords": ["development-plan", "indicators", "rules-engine", "decimal", "webassembly"],
  "type": "module",
  "main": "./node/index.cjs",
  "module": "./web/index.js",
  "browser": "./web/index.js",
  "types": "./web/index.d.ts",
  "exports": {
    ".": {
      "node": {
        "import": { "types": "./node/index.d.mts", "default": "./node/index.mjs" },
        "require": { "types": "./node/index.d.cts", "default": "./node/index.cjs" }
      },
      "browser": { "types": "./web/index.d.ts", "default": "./web/index.js" },
      "types": "./web/index.d.ts",
      "default": "./web/index.js"
    },
    "./web": { "types": "./web/index.d.ts", "default": "./web/index.js" },
    "./node": {
      "import": { "types": "./node/index.d.mts", "default": "./node/index.mjs" },
      "require": { "types": "./node/index.d.cts", "default": "./node/index.cjs" }
    },
    "./types": {
      "import": { "types": "./types.d.ts" },
      "require": { "types": "./types.d.cts" }
    },
    "./package.json": "./package.json"
  },
  "files": ["api.js", "api.cjs", "types.d.ts", "types.d.cts", "generated/", "web/", "node/"],
  "sideEffects": false
}
EOF

# --- demo copy -----------------------------------------------------------------------------
# The demo is served from wasm/demo/ by a static server, which cannot reach ../pkg; it gets its
# own copy of the web build (git-ignored).
rm -rf "$here/demo/pkg"
mkdir -p "$here/demo/pkg"
cp -r "$pkg/web" "$pkg/api.js" "$pkg/package.json" "$here/demo/pkg/"

# --- sizes ---------------------------------------------------------------------------------
final="$pkg/web/${crate}_bg.wasm"
size="$(stat -c %s "$final")"
gz="$(gzip -9n -c "$final" | wc -c)"
echo "== wasm size: $size bytes raw, $gz bytes gzip -9 (before wasm-opt: $raw_size bytes)"
printf '{"raw": %s, "gzip": %s, "before_wasm_opt": %s}\n' "$size" "$gz" "$raw_size" > "$pkg/size.json"
echo "== package written to $pkg"
