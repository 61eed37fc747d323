// A typed use of the web package: `await init()`, then the same API.
import init, { initSync, validate, type Api, type ValidateAnswer } from '../../pkg/web/index.js';

async function main(): Promise<void> {
  const loaded: Api = await init();
  const a: ValidateAnswer = loaded.validate({ entities: [] });
  const b: ValidateAnswer = validate('{}');
  await init(new URL('https://example.invalid/plan_rules_wasm_bg.wasm'));
  initSync(new Uint8Array(0));
  void [a, b];
}
void main;
