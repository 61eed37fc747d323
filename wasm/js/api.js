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

/** Thrown by `quickReplacer` when a number needs the path-tracking pass. */
const NEEDS_PATH = Symbol('needs path');

/** Whether JSON cannot carry a JS number exactly (non-finite, or a whole number beyond 2^53). */
function inexact(v) {
  return !Number.isFinite(v) || (Number.isInteger(v) && !Number.isSafeInteger(v));
}

/** The replacer of the common case: bigints as decimal text, every other value unchanged. */
function quickReplacer(key, v) {
  if (typeof v === 'number') {
    if (inexact(v)) throw NEEDS_PATH;
  } else if (typeof v === 'bigint') {
    return v.toString();
  }
  return v;
}

/**
 * JSON text from a string (passed through unchanged) or a plain object. Numbers that JSON cannot
 * carry exactly are refused with the JSON pointer of the value; bigints become decimal strings.
 *
 * One pass with a replacer that only looks at numbers and bigints writes the text; the JSON
 * pointers of values (needed only to report a bad number) are tracked in a second pass, run
 * only when the first meets a bad number. Both passes write the same text.
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
  const kind = name === 'plan' ? 'spec' : name === 'data' ? 'data' : 'request';
  try {
    return JSON.stringify(value, quickReplacer);
  } catch (e) {
    if (e !== NEEDS_PATH) throw cannotWrite(e, name);
  }
  const paths = new WeakMap();
  try {
    return JSON.stringify(value, function replacer(key, v) {
      const parent = paths.get(this);
      const path = parent === undefined ? '' : `${parent}/${pointerToken(key)}`;
      if (v !== null && typeof v === 'object') paths.set(v, path);
      if (typeof v === 'bigint') return v.toString();
      if (typeof v === 'number' && inexact(v)) {
        if (!Number.isFinite(v)) {
          throw new PlanRulesError(
            'invalid_number',
            `\`${v}\` at \`${path}\` is not a finite number`,
            { kind, path },
          );
        }
        throw new PlanRulesError(
          'invalid_number',
          `\`${v}\` at \`${path}\` is beyond the integers a JS number holds exactly; pass it as a string or a bigint`,
          { kind, path },
        );
      }
      return v;
    });
  } catch (e) {
    throw cannotWrite(e, name);
  }
}

/** A failure of JSON.stringify as a PlanRulesError (ours pass through). */
function cannotWrite(e, name) {
  if (e instanceof PlanRulesError) return e;
  if (e instanceof RangeError) {
    // JSON.stringify ran out of stack: far deeper than the engine reads at any door.
    const kind = name === 'plan' ? 'spec' : name === 'data' ? 'data' : 'request';
    return new PlanRulesError('too_deep', `${kind === 'spec' ? 'rule set' : name} nests deeper than 128 levels`, {
      kind,
    });
  }
  return new PlanRulesError(
    'invalid_request',
    `\`${name}\` cannot be written as JSON: ${e && e.message ? e.message : String(e)}`,
    { path: `/${name}` },
  );
}

function optionsText(options) {
  return options === undefined || options === null ? undefined : toJsonText(options, 'options');
}

const XICHENG = Symbol('xicheng');

/** The verdict codes of row rules, by their number (`RowRules.judgeCodes`). */
export const VERDICTS = Object.freeze(['met', 'not_met', 'missing', 'invalid', 'not_applicable']);

// The slot encoding of wasm/src/row.rs.
const TAG_MISSING = 0;
const TAG_NUMBER = 1;
const TAG_TEXT = 2;
const TAG_FALSE = 3;
const TAG_TRUE = 4;
const TAG_OTHER = 5;

function invalidNumber(v, path) {
  return new PlanRulesError(
    'invalid_number',
    Number.isFinite(v)
      ? `\`${v}\` at \`${path}\` is beyond the integers a JS number holds exactly; pass it as a string or a bigint`
      : `\`${v}\` at \`${path}\` is not a finite number`,
    { path },
  );
}

/**
 * Writes one value into slot `k`: its tag, and its number or the index of its text (`text`
 * interns a string). The same rules as objects given to `evaluate`: numbers JSON cannot carry
 * exactly are refused, bigints are decimal text.
 */
function encodeValue(v, k, tags, nums, text, where, name, row) {
  switch (typeof v) {
    case 'number':
      if (!Number.isFinite(v) || (Number.isInteger(v) && !Number.isSafeInteger(v))) {
        throw invalidNumber(v, slotPath(where, name, row));
      }
      tags[k] = TAG_NUMBER;
      nums[k] = v;
      return;
    case 'string':
      tags[k] = TAG_TEXT;
      nums[k] = text(v);
      return;
    case 'boolean':
      tags[k] = v ? TAG_TRUE : TAG_FALSE;
      return;
    case 'bigint':
      tags[k] = TAG_TEXT;
      nums[k] = text(v.toString());
      return;
    case 'undefined':
      tags[k] = TAG_MISSING;
      return;
    default:
      tags[k] = v === null ? TAG_MISSING : TAG_OTHER;
  }
}

function encodeAttribute(v, k, tags, nums, text, where, name, row) {
  if (typeof v === 'string') {
    tags[k] = TAG_TEXT;
    nums[k] = text(v);
  } else if (v === undefined || v === null) {
    tags[k] = TAG_MISSING;
  } else {
    throw new PlanRulesError(
      'invalid_request',
      `attribute \`${name}\` must be a string, found ${typeof v}`,
      { path: slotPath(where, name, row) },
    );
  }
}

function kindArg(kind) {
  if (kind === undefined || kind === null) return undefined;
  if (typeof kind !== 'string') {
    throw new PlanRulesError(
      'invalid_request',
      `\`kind\` must be an entity kind's name or omitted, found ${typeof kind}`,
      { path: '/kind' },
    );
  }
  return kind;
}

/**
 * The `targets` of row-rules options: `undefined` for every row-judgeable target, or an array of
 * target ids (refused otherwise, with the pointer of the bad value).
 */
function targetsArg(options) {
  const opts = objectArg(options, 'options');
  const targets = opts.targets;
  if (targets === undefined || targets === null) return undefined;
  if (!Array.isArray(targets)) {
    throw new PlanRulesError(
      'invalid_request',
      `request is invalid at \`/targets\`: \`targets\` must be an array of target ids, found ${typeof targets}`,
      { path: '/targets' },
    );
  }
  targets.forEach((id, i) => {
    if (typeof id !== 'string') {
      throw new PlanRulesError(
        'invalid_request',
        `request is invalid at \`/targets/${i}\`: a target id must be a string, found ${typeof id}`,
        { path: `/targets/${i}` },
      );
    }
  });
  return [...targets];
}

/** The JSON pointer of a value: `/record/students`, `/columns/students/7`. */
function slotPath(where, name, row) {
  const p = `/${where}/${pointerToken(name)}`;
  return row === undefined ? p : `${p}/${row}`;
}

/** A table of distinct strings for one batch chunk: `text(s)` gives the index of `s`. */
function textTable() {
  const index = new Map();
  const list = [];
  return {
    list,
    text(s) {
      let i = index.get(s);
      if (i === undefined) {
        i = list.length;
        index.set(s, i);
        list.push(s);
      }
      return i;
    },
    lens() {
      const lens = new Uint32Array(list.length);
      for (let i = 0; i < list.length; i++) lens[i] = list[i].length;
      return lens;
    },
  };
}

/** Interned strings kept by one RowRules (bounded: forgotten all at once when full). */
const MAX_INTERNED = 4096;

function objectArg(value, name) {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object') {
    throw new PlanRulesError(
      'invalid_request',
      `\`${name}\` must be an object, found ${typeof value}`,
      { path: `/${name}` },
    );
  }
  return value;
}

const FLOAT_ARRAYS = [Float64Array, Float32Array];
const INT_ARRAYS = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array];

/**
 * Builds the API over the raw wasm-bindgen module.
 * @param raw the wasm-bindgen exports
 * @param isReady returns false until the module is instantiated (web target)
 * @param notReady the error a call meets before then (default: `not_initialized`)
 */
export function bind(raw, isReady = () => true, notReady = undefined) {
  function call(f) {
    if (!isReady()) {
      throw notReady
        ? notReady()
        : new PlanRulesError(
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

  /**
   * The targets of a plan that can be judged on one record (a school-year, a district-year),
   * compiled once. `judge(record, attributes)` gives one verdict per target id; the batch form
   * takes columns. The logic is the core's (`plan_rules::row`); this class only encodes values.
   */
  class RowRules {
    #raw;
    #nf;
    #slots;
    #memory;
    #tags;
    #nums;
    #out;
    #interned = new Map();
    #text = (str) => {
      let i = this.#interned.get(str);
      if (i === undefined) {
        i = this.#raw.intern(str);
        this.#interned.set(str, i);
      }
      return i;
    };

    constructor(rawRules) {
      this.#raw = rawRules;
      /** The fields a record holds. */
      this.fields = Object.freeze(call(() => rawRules.fields));
      /** The attributes the targets' filters read (`level`). */
      this.attributes = Object.freeze(call(() => rawRules.attributes));
      /** The target ids, in verdict order. */
      this.targetIds = Object.freeze(call(() => rawRules.targetIds));
      /** The rule kind of each target. */
      this.targetKinds = Object.freeze(call(() => rawRules.targetKinds));
      /**
       * The targets (and all-of parts) one record of this kind cannot decide, in plan order:
       * `{ id, kind, reason, message_zh, message_en }`.
       */
      this.leftOut = Object.freeze(
        JSON.parse(call(() => rawRules.leftOutJson)).map((x) => Object.freeze(x)),
      );
      /** The dictionary type of each field. */
      this.valueTypes = Object.freeze(call(() => rawRules.valueTypes));
      this.#nf = this.fields.length;
      this.#slots = this.#nf + this.attributes.length;
      this.#memory = call(() => raw.wasmMemory());
      this.#views();
      Object.freeze(this);
    }

    /** Views on the record buffers in wasm memory (again after the memory grew). */
    #views() {
      const buffer = this.#memory.buffer;
      this.#tags = new Uint8Array(buffer, this.#raw.tagsPtr, this.#slots);
      this.#nums = new Float64Array(buffer, this.#raw.numsPtr, this.#slots);
      this.#out = new Uint8Array(buffer, this.#raw.outPtr, this.targetIds.length);
    }

    /** Writes one record into the buffers; false if the memory grew meanwhile (views stale). */
    #encode(rec, attrs) {
      const tags = this.#tags;
      const nums = this.#nums;
      const nf = this.#nf;
      const fields = this.fields;
      for (let i = 0; i < nf; i++) {
        const f = fields[i];
        encodeValue(rec[f], i, tags, nums, this.#text, 'record', f);
      }
      const names = this.attributes;
      for (let a = 0; a < names.length; a++) {
        const n = names[a];
        encodeAttribute(attrs[n], nf + a, tags, nums, this.#text, 'attributes', n);
      }
      return tags.byteLength !== 0 || this.#slots === 0;
    }

    /** The states of a `state` field, in the order they are reached. */
    states(field) {
      const i = this.fields.indexOf(field);
      return i < 0 ? [] : call(() => this.#raw.states(i));
    }

    /**
     * Verdict codes (indices into `VERDICTS`) of one record, in `targetIds` order. The array is
     * reused by the next call: copy it to keep it.
     */
    judgeCodes(record, attributes) {
      const rec = objectArg(record, 'record');
      const attrs = objectArg(attributes, 'attributes');
      try {
        // Forget the interned strings when full, never halfway through a record.
        if (this.#interned.size + this.#slots > MAX_INTERNED) {
          this.#raw.clearTexts();
          this.#interned.clear();
        }
        if (this.#out.byteLength === 0 && this.targetIds.length !== 0) this.#views();
        if (!this.#encode(rec, attrs)) {
          this.#views();
          this.#encode(rec, attrs);
        }
        this.#raw.judge();
        if (this.#out.byteLength === 0 && this.targetIds.length !== 0) this.#views();
      } catch (e) {
        throw fromRaw(e);
      }
      return this.#out;
    }

    /** The verdict of each target on one record: `{ 'A6.1': 'not_met', ... }`. */
    judge(record, attributes) {
      const codes = this.judgeCodes(record, attributes);
      const ids = this.targetIds;
      const verdicts = {};
      for (let t = 0; t < ids.length; t++) verdicts[ids[t]] = VERDICTS[codes[t]];
      return verdicts;
    }

    /**
     * Judges many rows given as columns: `columns` maps a field to an array (numbers, decimal
     * strings, booleans, state names, null) or a typed array (NaN is missing in float arrays);
     * `attributes` maps an attribute to an array of strings. Returns, per target id, a
     * `Uint8Array` of verdict codes (indices into `VERDICTS`). Rows are encoded and judged
     * in chunks of `chunkRows` (default 65536) to bound memory.
     */
    judgeColumns(columns, attributes, options) {
      const cols = objectArg(columns, 'columns');
      const attrs = objectArg(attributes, 'attributes');
      const chunk = Math.max(1, Math.floor(objectArg(options, 'options').chunkRows ?? 65536));
      const fields = this.fields;
      const names = this.attributes;
      const nf = this.#nf;
      const slots = nf + names.length;
      let rows = 0;
      const given = [];
      for (let s = 0; s < slots; s++) {
        const name = s < nf ? fields[s] : names[s - nf];
        const col = s < nf ? cols[name] : attrs[name];
        if (col !== undefined && col !== null) {
          if (typeof col.length !== 'number' || typeof col === 'string') {
            throw new PlanRulesError(
              'invalid_request',
              `column \`${name}\` must be an array or a typed array`,
              { path: `/${s < nf ? 'columns' : 'attributes'}/${pointerToken(name)}` },
            );
          }
          rows = Math.max(rows, col.length);
        }
        given.push(col ?? null);
      }
      const ids = this.targetIds;
      const result = {};
      for (const id of ids) result[id] = new Uint8Array(rows);
      // One pair of buffers for every chunk (fresh ones per chunk left megabytes of garbage).
      const size = slots * Math.min(chunk, rows);
      const tagBuffer = new Uint8Array(size);
      const numBuffer = new Float64Array(size);
      for (let start = 0; start < rows; start += chunk) {
        const n = Math.min(chunk, rows - start);
        const tags = tagBuffer.subarray(0, slots * n);
        const nums = numBuffer.subarray(0, slots * n);
        tags.fill(TAG_MISSING);
        const table = textTable();
        for (let s = 0; s < slots; s++) {
          const col = given[s];
          if (col === null) continue;
          const base = s * n;
          const end = Math.min(col.length, start + n);
          const kind = s < nf ? 'columns' : 'attributes';
          const name = s < nf ? fields[s] : names[s - nf];
          if (s < nf && FLOAT_ARRAYS.some((T) => col instanceof T)) {
            for (let r = start; r < end; r++) {
              const v = col[r];
              if (v === v) {
                tags[base + r - start] = TAG_NUMBER;
                nums[base + r - start] = v;
              }
            }
          } else if (s < nf && INT_ARRAYS.some((T) => col instanceof T)) {
            tags.fill(TAG_NUMBER, base, base + end - start);
            nums.set(col.subarray(start, end), base);
          } else if (s < nf) {
            for (let r = start; r < end; r++) {
              encodeValue(col[r], base + r - start, tags, nums, table.text, kind, name, r);
            }
          } else {
            for (let r = start; r < end; r++) {
              encodeAttribute(col[r], base + r - start, tags, nums, table.text, kind, name, r);
            }
          }
        }
        const codes = call(() =>
          this.#raw.judgeColumns(n, tags, nums, table.list.join(''), table.lens()),
        );
        for (let t = 0; t < ids.length; t++) {
          result[ids[t]].set(codes.subarray(t * n, t * n + n), start);
        }
      }
      return result;
    }

    /** Frees the wasm memory now (otherwise the garbage collector does it). */
    free() {
      this.#raw.free();
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
    /** `'published'`, or `'draft'` for a rule set written for a quick check. */
    get status() {
      return call(() => this.#raw.status);
    }
    /** What a draft leaves out: `[{ code, path, target, message_zh, message_en }]`. */
    get warnings() {
      return JSON.parse(call(() => this.#raw.warningsJson));
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
    /**
     * Row verdicts for an entity kind (`'school'`), or for the district series when omitted;
     * `options.targets` names the targets to judge (a left-out one is refused with
     * `not_row_judgeable`).
     */
    rowRules(kind, options) {
      return new RowRules(call(() => this.#raw.rowRules(kindArg(kind), targetsArg(options))));
    }
    /** Frees the wasm memory now (otherwise the garbage collector does it). */
    free() {
      this.#raw.free();
    }
  }

  const api = {
    Plan,
    RowRules,
    VERDICTS,
    PlanRulesError,
    rowRules: (kind, options) =>
      new RowRules(call(() => raw.rowRules(kindArg(kind), targetsArg(options)))),
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
