// The public JavaScript API of plan-rules, shared by the web and Node entry points.
//
// It wraps the raw wasm-bindgen exports (JSON text in, JSON text out) with:
// - object input: data, options and rule sets may be plain objects; they are turned into JSON
//   text here, refusing values JSON cannot carry exactly (NaN, Infinity, unsafe integers);
//   bigints cross as decimal strings;
// - parsed output next to the exact text (`evaluate` gives an object, `evaluateJson` the bytes);
// - one error class, `PlanRulesError`, with `code`, `kind`, `path`, `target`, `errors`, `details`.
//
// Decimals stay decimals: the engine writes them as strings, and they are left as strings.

/** An error from plan-rules: a stable `code`, the layer (`kind`) and every problem. */
export class PlanRulesError extends Error {
  constructor(code, message, details = {}) {
    super(message);
    this.name = 'PlanRulesError';
    this.code = code;
    this.kind = details.kind ?? 'request';
    this.path = details.path ?? null;
    this.target = details.target ?? null;
    const first = { code, message };
    if (this.path !== null) first.path = this.path;
    if (this.target !== null) first.target = this.target;
    this.errors = Array.isArray(details.errors) ? details.errors : [first];
    this.details = {
      kind: this.kind,
      code,
      message,
      path: this.path,
      target: this.target,
      errors: this.errors,
    };
  }
}

/** Any thrown value as a PlanRulesError (a raw wasm error keeps its code and details). */
function fromRaw(e) {
  if (e instanceof PlanRulesError) return e;
  if (e && typeof e === 'object' && e.name === 'PlanRulesError' && typeof e.code === 'string') {
    return new PlanRulesError(e.code, e.message, e.details ?? e);
  }
  // Not meant to happen: a trap or a bug in the glue. Still an Error with a code.
  const err = new PlanRulesError(
    'internal_error',
    `internal error: ${e && e.message ? e.message : String(e)}`,
    { kind: 'internal' },
  );
  err.cause = e;
  return err;
}

function pointerToken(key) {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * JSON text from a string (passed through unchanged) or a plain object. Numbers that JSON cannot
 * carry exactly are refused with the JSON pointer of the value; bigints become decimal strings.
 */
export function toJsonText(value, name) {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) {
    throw new PlanRulesError('invalid_request', `\`${name}\` is missing`, { path: `/${name}` });
  }
  if (typeof value !== 'object') {
    throw new PlanRulesError(
      'invalid_request',
      `\`${name}\` must be an object or JSON text, found ${typeof value}`,
      { path: `/${name}` },
    );
  }
  const paths = new WeakMap();
  const kind = name === 'plan' ? 'spec' : name === 'data' ? 'data' : 'request';
  try {
    return JSON.stringify(value, function replacer(key, v) {
      const parent = paths.get(this);
      const path = parent === undefined ? '' : `${parent}/${pointerToken(key)}`;
      if (v !== null && typeof v === 'object') paths.set(v, path);
      if (typeof v === 'bigint') return v.toString();
      if (typeof v === 'number') {
        if (!Number.isFinite(v)) {
          throw new PlanRulesError(
            'invalid_number',
            `\`${v}\` at \`${path}\` is not a finite number`,
            { kind, path },
          );
        }
        if (Number.isInteger(v) && !Number.isSafeInteger(v)) {
          throw new PlanRulesError(
            'invalid_number',
            `\`${v}\` at \`${path}\` is beyond the integers a JS number holds exactly; pass it as a string or a bigint`,
            { kind, path },
          );
        }
      }
      return v;
    });
  } catch (e) {
    if (e instanceof PlanRulesError) throw e;
    throw new PlanRulesError(
      'invalid_request',
      `\`${name}\` cannot be written as JSON: ${e && e.message ? e.message : String(e)}`,
      { path: `/${name}` },
    );
  }
}

function optionsText(options) {
  return options === undefined || options === null ? undefined : toJsonText(options, 'options');
}

const XICHENG = Symbol('xicheng');

/**
 * Builds the API over the raw wasm-bindgen module.
 * @param raw the wasm-bindgen exports
 * @param isReady returns false until the module is instantiated (web target)
 */
export function bind(raw, isReady = () => true) {
  function call(f) {
    if (!isReady()) {
      throw new PlanRulesError(
        'not_initialized',
        'the WebAssembly module is not loaded yet: await init() first',
      );
    }
    try {
      return f();
    } catch (e) {
      throw fromRaw(e);
    }
  }

  /** A loaded and checked rule set, kept in WebAssembly memory. */
  class Plan {
    #raw;

    /** Loads a rule set (JSON text or object); throws PlanRulesError (kind `spec`). */
    constructor(rules) {
      this.#raw =
        rules === XICHENG
          ? call(() => raw.Plan.xicheng())
          : call(() => new raw.Plan(toJsonText(rules, 'plan')));
    }

    /** The embedded Xicheng District 2016-2020 education plan. */
    static xicheng() {
      return new Plan(XICHENG);
    }

    get id() {
      return call(() => this.#raw.id);
    }
    get version() {
      return call(() => this.#raw.version);
    }
    get contentHash() {
      return call(() => this.#raw.contentHash);
    }
    get targetCount() {
      return call(() => this.#raw.targetCount);
    }
    rulesJson() {
      return call(() => this.#raw.rules());
    }
    rules() {
      return JSON.parse(this.rulesJson());
    }
    evaluateJson(data, asOf, options) {
      return call(() =>
        this.#raw.evaluate(toJsonText(data, 'data'), asOf, optionsText(options)),
      );
    }
    evaluate(data, asOf, options) {
      return JSON.parse(this.evaluateJson(data, asOf, options));
    }
    validateJson(data) {
      return call(() => this.#raw.validate(toJsonText(data, 'data')));
    }
    validate(data) {
      return JSON.parse(this.validateJson(data));
    }
    checkJson(data) {
      return call(() =>
        this.#raw.check(data === undefined || data === null ? undefined : toJsonText(data, 'data')),
      );
    }
    check(data) {
      return JSON.parse(this.checkJson(data));
    }
    /** Frees the wasm memory now (otherwise the garbage collector does it). */
    free() {
      this.#raw.free();
    }
  }

  const api = {
    Plan,
    PlanRulesError,
    engineVersion: () => call(() => raw.engineVersion()),
    rulesJson: () => call(() => raw.rules()),
    rules: () => JSON.parse(api.rulesJson()),
    evaluateJson: (data, asOf, options) =>
      call(() => raw.evaluate(toJsonText(data, 'data'), asOf, optionsText(options))),
    evaluate: (data, asOf, options) => JSON.parse(api.evaluateJson(data, asOf, options)),
    validateJson: (data) => call(() => raw.validate(toJsonText(data, 'data'))),
    validate: (data) => JSON.parse(api.validateJson(data)),
    checkJson: (data) =>
      call(() =>
        raw.check(data === undefined || data === null ? undefined : toJsonText(data, 'data')),
      ),
    check: (data) => JSON.parse(api.checkJson(data)),
  };
  return api;
}
