// PLAN_RULES_EXCLUDE=1 sets the workaround older Vite dev servers need (see wasm/README.md).
import { defineConfig } from 'vite';

export default defineConfig({
  optimizeDeps: process.env.PLAN_RULES_EXCLUDE === '1' ? { exclude: ['plan-rules-wasm'] } : {},
  ssr: { noExternal: ['plan-rules-wasm'] },
  build: { target: 'es2022' },
  logLevel: 'warn',
});
