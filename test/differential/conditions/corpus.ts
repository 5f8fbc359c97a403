// Seeded corpus of AnalysisTemplate conditions × measurement results for the differential test
// against the real expr builds (tools/exprcheck). Three sources of conditions:
//  - patterns seen in real AnalysisTemplates, with random thresholds;
//  - random well-formed expressions over the grammar of reference §5.3 (typed-ish, so that a good
//    share evaluates to true/false rather than to a type error);
//  - ill-formed ones: mutations of the above (dropped/inserted/swapped tokens, truncation).
// Results: Prometheus vectors (`[]float64`, incl. empty, NaN, ±Inf), scalars (`float64`, incl.
// NaN, ±Inf) and web JSON bodies (objects, arrays, strings, numbers, booleans, null).
import { RandomStream } from '../../../sim/engine/random.js';
import type { ConditionEnvType, ConditionValue, JsonValue } from '../../../sim/analysis/condition/index.js';

export type ResultKind = 'float64' | '[]float64' | 'json';

export interface ResultCase {
  readonly kind: ResultKind;
  readonly value: ConditionValue;
}

export interface ConditionCase {
  readonly condition: string;
  /** Where it came from: 'pattern' | 'random' | 'mutant'. */
  readonly source: 'pattern' | 'random' | 'mutant';
}

export interface Pair {
  readonly condition: ConditionCase;
  readonly result: ResultCase;
}

export interface AssessPair {
  readonly success: string;
  readonly failure: string;
  readonly result: ResultCase;
}

/** The Go type Argo's environment gives `result` (see tools/exprcheck/main.go). */
export function envTypeFor(r: ResultCase): ConditionEnvType {
  if (r.kind !== 'json') return r.kind;
  const v = r.value;
  if (v === null) return 'nil';
  if (Array.isArray(v)) return '[]interface {}';
  switch (typeof v) {
    case 'number':
      return 'float64';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    default:
      return 'map[string]interface {}';
  }
}

/** Wire form of a float for exprcheck: JSON has no NaN/±Inf (nor -0). */
export function wireFloat(x: number): number | string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  if (Object.is(x, -0)) return '-0';
  return x;
}

export function wireResult(r: ResultCase): unknown {
  if (r.kind === 'float64') return wireFloat(r.value as number);
  if (r.kind === '[]float64') return (r.value as readonly number[]).map(wireFloat);
  return r.value;
}

/** Short printable form (NaN/Inf visible). */
export function showResult(r: ResultCase): string {
  if (r.kind === 'json') return `json ${JSON.stringify(r.value)}`;
  return `${r.kind} ${JSON.stringify(wireResult(r))}`;
}

class Gen {
  constructor(private readonly rnd: RandomStream) {}

  u(): number {
    return this.rnd.uniform();
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rnd.uniform() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.rnd.uniform() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rnd.uniform() * xs.length)]!;
  }
  /** Weighted choice among thunks. */
  oneOf<T>(options: readonly (readonly [number, () => T])[]): T {
    let total = 0;
    for (const [w] of options) total += w;
    let x = this.rnd.uniform() * total;
    for (const [w, f] of options) {
      x -= w;
      if (x < 0) return f();
    }
    return options[options.length - 1]![1]();
  }
}

// ---------------------------------------------------------------------------------------------
// Results

const SPECIAL = [NaN, Infinity, -Infinity];

function metricValue(g: Gen): number {
  return g.oneOf<number>([
    [4, () => Math.round(g.u() * 1000) / 1000],
    [2, () => g.pick([0, 1, 0.5, 0.95, 0.05, 0.99, 2, 10, 100, 0.1, 0.2, 0.3])],
    [1, () => g.pick(SPECIAL)],
    [1, () => g.pick([-1, -0.5, 1e-7, 1e21, 123456.789, 3, 1e308, -0, 5e-324])],
    [1, () => Math.round((g.u() - 0.3) * 1e4) / 100],
  ]);
}

function vectorResult(g: Gen): number[] {
  return g.oneOf<number[]>([
    [2, () => []],
    [2, () => [metricValue(g)]],
    [1, () => [g.pick(SPECIAL)]],
    [3, () => Array.from({ length: g.int(2, 5) }, () => metricValue(g))],
  ]);
}

const WORDS = ['ok', 'fail', 'healthy', '1', '27', '0.5', '3.25', '', 'v1.2.3', 'abc', 'NaN', 'true', 'é'];

function jsonScalar(g: Gen): JsonValue {
  return g.oneOf<JsonValue>([
    [3, () => Math.round(g.u() * 100) / 10],
    [2, () => g.int(-2, 30)],
    [3, () => g.pick(WORDS)],
    [1, () => g.chance(0.5)],
    [1, () => null],
  ]);
}

const KEYS = ['major', 'minor', 'value', 'status', 'count', 'ratio', 'data', 'items', 'x', 'name'];

function jsonValue(g: Gen, depth: number): JsonValue {
  if (depth <= 0) return jsonScalar(g);
  return g.oneOf<JsonValue>([
    [3, () => jsonScalar(g)],
    [2, () => jsonObject(g, depth - 1)],
    [1, () => Array.from({ length: g.int(0, 3) }, () => jsonValue(g, depth - 1))],
    [1, () => Array.from({ length: g.int(0, 4) }, () => g.int(0, 9) / 2)],
  ]);
}

function jsonObject(g: Gen, depth: number): { [k: string]: JsonValue } {
  const o: { [k: string]: JsonValue } = {};
  const n = g.int(0, 4);
  for (let i = 0; i < n; i++) o[g.pick(KEYS)] = jsonValue(g, depth);
  return o;
}

const WEB_BODIES: readonly JsonValue[] = [
  { major: '1', minor: '27', gitVersion: 'v1.27.3' },
  { value: '3.5' },
  { value: 2.5 },
  { value: 'abc' },
  { data: { ratio: 0.97, count: 10 } },
  { data: { ratio: null } },
  { status: 'ok', items: [1, 2, 3] },
  { status: 'degraded', items: [] },
  { items: [{ x: 1 }, { x: 2.5 }, { x: -1 }] },
  {},
  [1, 2, 3],
  [0.5],
  ['a', 'b'],
  [],
  [{ x: 1 }],
  'ok',
  '0.5',
  '',
  0.5,
  3,
  0,
  true,
  false,
  null,
];

function webResult(g: Gen): JsonValue {
  return g.chance(0.5) ? g.pick(WEB_BODIES) : jsonValue(g, 2);
}

function randomResult(g: Gen, kind: ResultKind): ResultCase {
  switch (kind) {
    case '[]float64':
      return { kind, value: vectorResult(g) };
    case 'float64':
      return { kind, value: g.chance(0.25) ? g.pick(SPECIAL) : metricValue(g) };
    case 'json':
      return { kind, value: webResult(g) };
  }
}

// ---------------------------------------------------------------------------------------------
// Conditions: real-world patterns

function threshold(g: Gen): string {
  return g.pick(['0.95', '0.05', '0.99', '0.5', '1', '0', '100', '10', '.5', '1e-3', '2', '0.01', '1000']);
}
const CMP = ['<', '<=', '>', '>=', '==', '!='];

function pattern(g: Gen, kind: ResultKind): string {
  const t = threshold(g);
  const c = g.pick(CMP);
  const vector = [
    `result[0] ${c} ${t}`,
    `result[0] >= ${t}`,
    `len(result) == 0 || result[0] ${c} ${t}`,
    `len(result) > 0 && result[0] ${c} ${t}`,
    `isNaN(result[0]) || result[0] ${c} ${t}`,
    `!isNaN(result[0]) && result[0] ${c} ${t}`,
    `isNaN(result[0])`,
    `isInf(result[0])`,
    `all(result, {# ${c} ${t}})`,
    `any(result, {# ${c} ${t}})`,
    `all(result, # ${c} ${t})`,
    `none(result, {isNaN(#)})`,
    `one(result, # > ${t})`,
    `default(result, 0) ${c} ${t}`,
    `default(result, [0])[0] ${c} ${t}`,
    `isNil(result) || result[0] ${c} ${t}`,
    `result[0] ${c} ${t} || isNaN(result[0])`,
    `len(result) == 0`,
    `len(result) ${c} ${g.int(0, 3)}`,
    `result[len(result)-1] ${c} ${t}`,
    `result[-1] ${c} ${t}`,
    `sum(result) ${c} ${t}`,
    `mean(result) ${c} ${t}`,
    `median(result) ${c} ${t}`,
    `max(result) ${c} ${t}`,
    `min(result) ${c} ${t}`,
    `count(result, # > ${t}) ${c} ${g.int(0, 2)}`,
    `len(filter(result, # > ${t})) == 0`,
    `${t} in result`,
    `result == []`,
    `result[0] ${c} ${t} and result[1] ${c} ${t}`,
    `result[0] * 100 ${c} ${t}`,
    `result[0] / result[1] ${c} ${t}`,
    `(result[0] ?? 0) ${c} ${t}`,
    `first(result) ${c} ${t}`,
    `last(result) ${c} ${t}`,
    `result >= ${t}`,
    `result[0]`,
    `result[0] % 2 == 0`,
    `asInt(result[0]) ${c} ${g.int(0, 3)}`,
    `asFloat(result[0]) ${c} ${t}`,
    `int(result[0]) == ${g.int(0, 3)}`,
    `round(result[0]) ${c} ${t}`,
    `result[1.0] > 0`,
    `not (result[0] ${c} ${t})`,
    `0 < result[0] < 1`,
    `result | all(# < ${t})`,
    `result | filter(# > ${t}) | len() > 0`,
    `let r = result[0]; r ${c} ${t}`,
    `map(result, # * 100)[0] ${c} ${t}`,
    `string(result[0]) == '${t}'`,
    `result[0:1] == [${t}]`,
    `result?.[0] ${c} ${t}`,
    `$env.result[0] ${c} ${t}`,
  ];
  const scalar = [
    `result ${c} ${t}`,
    `result >= ${t}`,
    `isNaN(result)`,
    `isNaN(result) || result ${c} ${t}`,
    `isInf(result)`,
    `!isInf(result) && result ${c} ${t}`,
    `result[0] >= ${t}`,
    `len(result) == 0`,
    `default(result, 0) ${c} ${t}`,
    `isNil(result)`,
    `asInt(result) ${c} ${g.int(0, 3)}`,
    `asFloat(result) ${c} ${t}`,
    `abs(result - 1) < ${t}`,
    `result * 100 ${c} ${t}`,
    `result % 2 == 0`,
    `int(result) % 2 == 0`,
    `round(result) == result`,
    `result == result`,
    `result != result`,
    `floor(result) ${c} ${t}`,
    `string(result) == '${t}'`,
    `${t} < result < 1`,
    `(result ?? 0) ${c} ${t}`,
    `result > 0 ? result ${c} ${t} : false`,
    `result`,
    `result + 1`,
  ];
  const key = g.pick(KEYS);
  const json = [
    `result.major == '1'`,
    `result.major == '1' && asInt(result.minor) >= 20`,
    `asInt(result.minor) ${c} ${g.int(0, 30)}`,
    `asFloat(result.value) ${c} ${t}`,
    `asFloat(result.value) > 2`,
    `result.value ${c} ${t}`,
    `result.${key} ${c} ${t}`,
    `result.${key} == nil`,
    `result.${key} != nil`,
    `result["${key}"] == '${g.pick(WORDS)}'`,
    `result?.data?.ratio ${c} ${t}`,
    `result.data.ratio ${c} ${t}`,
    `result.status == 'ok'`,
    `result.status in ['ok', 'healthy']`,
    `result.status matches '^(ok|healthy)$'`,
    `result.status startsWith 'he'`,
    `len(result.items) ${c} ${g.int(0, 3)}`,
    `all(result.items, {# ${c} ${t}})`,
    `all(result.items, .x > 0)`,
    `any(result.items, {#.x ${c} ${t}})`,
    `result.items[0] ${c} ${t}`,
    `result[0] ${c} ${t}`,
    `len(result) ${c} ${g.int(0, 3)}`,
    `result == '${g.pick(WORDS)}'`,
    `result ${c} ${t}`,
    `result`,
    `isNil(result)`,
    `default(result, 'x') == 'x'`,
    `'${key}' in result`,
    `result.${key}`,
    `asFloat(result) ${c} ${t}`,
    `asInt(result) ${c} ${g.int(0, 3)}`,
    `result.gitVersion startsWith 'v1.2'`,
    `float(result.value) ${c} ${t}`,
    `int(result.count) ${c} ${g.int(0, 12)}`,
    `result?.${key} ?? 0 ${c} ${t}`,
    `(result?.${key} ?? 0) ${c} ${t}`,
    `type(result) == 'map'`,
  ];
  return g.pick(kind === '[]float64' ? vector : kind === 'float64' ? scalar : json);
}

// ---------------------------------------------------------------------------------------------
// Conditions: random expressions over reference §5.3

type T = 'bool' | 'num' | 'str' | 'arr' | 'any';

class ExprGen {
  constructor(
    private readonly g: Gen,
    private readonly kind: ResultKind,
  ) {}

  private ws(): string {
    const g = this.g;
    return g.oneOf<string>([
      [30, () => ' '],
      [2, () => ''],
      [1, () => '  '],
      [1, () => '\n'],
      [1, () => ' /* c */ '],
    ]);
  }

  private bin(a: string, op: string, b: string): string {
    if (op === 'in' || op === 'matches' || op === 'contains' || op === 'startsWith' || op === 'endsWith') {
      return `${a} ${op} ${b}`;
    }
    if (op === 'and' || op === 'or' || op === 'not in') return `${a} ${op} ${b}`;
    const s = this.ws();
    return `${a}${s}${op}${s}${b}`;
  }

  private par(e: string): string {
    return this.g.chance(0.7) ? `(${e})` : e;
  }

  intLit(): string {
    const g = this.g;
    return g.oneOf<string>([
      [6, () => String(g.int(0, 10))],
      [1, () => String(g.int(11, 1000))],
      [1, () => g.pick(['0x1F', '0xff', '1_000', '0o17', '0b101', '9223372036854775807', '007', '00'])],
    ]);
  }

  floatLit(): string {
    const g = this.g;
    return g.oneOf<string>([
      [4, () => g.pick(['0.5', '0.95', '0.05', '1.0', '2.5', '.5', '1e3', '1e-3', '1.5e2', '0.0', '10.25', '1E2'])],
      [2, () => String(Math.round(g.u() * 1000) / 100)],
      [1, () => g.pick(['1e308', '1e309', '5e-324', '123456789.125', '0.1', '0.3'])],
    ]);
  }

  strLit(): string {
    const g = this.g;
    return g.pick([
      `'ok'`, `"ok"`, `'1'`, `"27"`, `''`, `'a\\tb'`, `"\\u00e9"`, `'\\x41'`, `"he said \\"hi\\""`, `'it\\'s'`,
      `'héllo'`, `'0.5'`, `\`raw\\n\``, `'abc'`, `"v1.2.3"`, `'NaN'`, `'healthy'`, `'a\\nb'`, `'\\q'`,
    ]);
  }

  /** Atoms that read `result`, by the result kind this condition is written for. */
  resultAtom(t: T): string {
    const g = this.g;
    const idx = (): string => g.pick(['0', '1', '-1', '2', String(g.int(0, 3)), 'len(result)-1', '0.0', '-5']);
    if (this.kind === '[]float64') {
      switch (t) {
        case 'num':
          return g.pick([
            `result[${idx()}]`, `result[${idx()}]`, `len(result)`, `sum(result)`, `mean(result)`, `median(result)`,
            `count(result, # > 0.5)`, `asFloat(result[0])`, `asInt(result[0])`, `first(result)`, `max(result)`,
            `abs(result[0])`, `result[0] ?? 1`, `$env.result[0]`, `len(filter(result, {# > 0}))`,
          ]);
        case 'arr':
          return g.pick([
            'result', 'result[1:]', 'result[:2]', 'result[0:1]', 'filter(result, # > 0.5)', 'map(result, # * 2)',
            'map(result, {#index})', 'default(result, [])', 'result[:]',
          ]);
        case 'bool':
          return g.pick([
            'isNaN(result[0])', 'isInf(result[0])', 'all(result, {# < 1})', 'any(result, # > 0.5)',
            'none(result, isNaN(#))', 'one(result, # == 0)', '0.5 in result', 'len(result) == 0', 'isNil(result)',
            'result == nil', 'all(result, {!isNaN(#)})', 'any(result, {# == #})', 'result | any(# > 1)',
          ]);
        default:
          return g.pick(['result', 'result[0]', 'default(result, 0)', 'first(result)', 'last(result)']);
      }
    }
    if (this.kind === 'float64') {
      switch (t) {
        case 'num':
          return g.pick([
            'result', 'result', 'abs(result)', 'ceil(result)', 'floor(result)', 'round(result)', 'asFloat(result)',
            'asInt(result)', 'int(result)', 'float(result)', 'result * 2', '-result', 'result ** 2', '$env.result',
          ]);
        case 'arr':
          return g.pick(['[result]', '[result, 1]', 'map([result], # + 1)']);
        case 'bool':
          return g.pick(['isNaN(result)', 'isInf(result)', 'isNil(result)', 'result == nil', 'result in [0.5, 1.0]']);
        default:
          return g.pick(['result', 'default(result, 0)', 'result ?? 0']);
      }
    }
    const key = g.pick(KEYS);
    switch (t) {
      case 'num':
        return g.pick([
          `result.${key}`, `asFloat(result.value)`, `asInt(result.minor)`, `len(result)`, `result.data.ratio`,
          `result?.data?.count`, `result[0]`, `result.items[0]`, `len(result.items)`, `asFloat(result)`, `result`,
          `float(result.${key})`, `result["${key}"]`,
        ]);
      case 'str':
        return g.pick([`result.${key}`, `result.status`, `result.major`, `result`, `string(result)`, `result[0]`]);
      case 'arr':
        return g.pick([`result.items`, `result`, `result[1:]`, `filter(result.items, # != nil)`]);
      case 'bool':
        return g.pick([
          `isNil(result)`, `result == nil`, `result.${key} == nil`, `'${key}' in result`, `result`,
          `all(result.items, .x > 0)`, `any(result, # == 'a')`, `result?.${key} != nil`,
        ]);
      default:
        return g.pick([`result.${key}`, `result`, `result?.${key}`, `default(result, 1)`, `result[0]`]);
    }
  }

  expr(t: T, depth: number): string {
    const g = this.g;
    if (depth <= 0 || g.chance(0.2)) return this.leaf(t);
    switch (t) {
      case 'bool':
        return g.oneOf<string>([
          [5, () => this.bin(this.expr('num', depth - 1), g.pick(CMP), this.expr('num', depth - 1))],
          [2, () => this.bin(this.par(this.expr('bool', depth - 1)), g.pick(['&&', '||', 'and', 'or']), this.par(this.expr('bool', depth - 1)))],
          [1, () => `${g.pick(['!', 'not ', '! '])}${this.par(this.expr('bool', depth - 1))}`],
          [1, () => this.bin(this.expr('str', depth - 1), g.pick(['==', '!=', 'contains', 'startsWith', 'endsWith', 'matches', '<', '>=']), this.expr('str', depth - 1))],
          [1, () => this.bin(this.expr('str', depth - 1), 'matches', g.pick([`'^o'`, `'k$'`, `'[0-9]+'`, `'(ok|fail)'`, `'.'`, `'['`]))],
          [1, () => this.bin(this.expr('num', depth - 1), g.pick(['in', 'not in']), this.expr('arr', depth - 1))],
          [1, () => `${g.pick(['all', 'any', 'none', 'one'])}(${this.expr('arr', depth - 1)}, ${this.pred(depth - 1)})`],
          [1, () => `${this.expr('bool', depth - 1)} ? ${this.expr('bool', depth - 1)} : ${this.expr('bool', depth - 1)}`],
          [1, () => `${this.expr('num', depth - 1)} ${g.pick(['<', '<='])} ${this.expr('num', depth - 1)} ${g.pick(['<', '<='])} ${this.expr('num', depth - 1)}`],
          [1, () => this.bin(this.expr('any', depth - 1), g.pick(['==', '!=']), this.expr(g.pick(['any', 'num', 'str', 'arr'] as const), depth - 1))],
          [1, () => `let x = ${this.expr('num', depth - 1)}; ${this.bin('x', g.pick(CMP), this.expr('num', depth - 1))}`],
          [1, () => this.bin(this.expr('arr', depth - 1), g.pick(['==', '!=']), this.expr('arr', depth - 1))],
          [1, () => `${g.pick(['isNaN', 'isInf'])}(${this.expr('num', depth - 1)})`],
          [1, () => this.bin(this.expr('str', depth - 1), 'in', `{${g.pick(['ok', 'a', 'x'])}: 1, "b": 2}`)],
          [2, () => this.resultAtom('bool')],
        ]);
      case 'num':
        return g.oneOf<string>([
          [6, () => this.bin(this.par(this.expr('num', depth - 1)), g.pick(['+', '-', '*', '/', '%', '**', '^']), this.par(this.expr('num', depth - 1)))],
          [1, () => `-${this.par(this.expr('num', depth - 1))}`],
          [2, () => `${g.pick(['abs', 'ceil', 'floor', 'round', 'int', 'float'])}(${this.expr('num', depth - 1)})`],
          [2, () => `${g.pick(['len', 'sum', 'mean', 'median', 'max', 'min', 'first', 'last'])}(${this.expr('arr', depth - 1)})`],
          [1, () => `${g.pick(['max', 'min'])}(${this.expr('num', depth - 1)}, ${this.expr('num', depth - 1)})`],
          [1, () => `count(${this.expr('arr', depth - 1)}, ${this.pred(depth - 1)})`],
          [1, () => `${this.par(this.expr('bool', depth - 1))} ? ${this.expr('num', depth - 1)} : ${this.expr('num', depth - 1)}`],
          [1, () => `${this.expr('arr', depth - 1)}[${g.pick(['0', '1', '-1', String(g.int(0, 4))])}]`],
          [1, () => `${this.expr('any', depth - 1)} ?? ${this.expr('num', depth - 1)}`],
          [1, () => `len(${this.expr('str', depth - 1)})`],
          [1, () => `asInt(${this.expr(g.pick(['num', 'str'] as const), depth - 1)})`],
          [1, () => `asFloat(${this.expr(g.pick(['num', 'str'] as const), depth - 1)})`],
          [1, () => `{a: ${this.expr('num', depth - 1)}, "b": 2}.${g.pick(['a', 'b', 'c'])}`],
          [3, () => this.resultAtom('num')],
        ]);
      case 'str':
        return g.oneOf<string>([
          [2, () => this.bin(this.expr('str', depth - 1), '+', this.expr('str', depth - 1))],
          [2, () => `string(${this.expr(g.pick(['num', 'bool', 'str'] as const), depth - 1)})`],
          [1, () => `${g.pick(['upper', 'lower', 'trim'])}(${this.expr('str', depth - 1)})`],
          [1, () => `${this.par(this.expr('bool', depth - 1))} ? ${this.expr('str', depth - 1)} : ${this.expr('str', depth - 1)}`],
          [1, () => `${this.expr('str', depth - 1)}[${g.pick(['0', '1:', ':2', '-1'])}]`],
          [1, () => `type(${this.expr('any', depth - 1)})`],
          [2, () => this.resultAtom('str')],
        ]);
      case 'arr':
        return g.oneOf<string>([
          [2, () => `[${Array.from({ length: g.int(0, 3) }, () => this.expr('num', depth - 1)).join(', ')}]`],
          [1, () => `${g.int(-1, 2)}..${g.int(0, 4)}`],
          [2, () => `${g.pick(['filter', 'map'])}(${this.expr('arr', depth - 1)}, ${this.pred(depth - 1)})`],
          [1, () => `${this.expr('arr', depth - 1)}[${g.pick(['1:', ':2', '0:1', '1:3', ':'])}]`],
          [1, () => `[${this.strLit()}, ${this.strLit()}]`],
          [4, () => this.resultAtom('arr')],
        ]);
      default:
        return g.oneOf<string>([
          [1, () => this.expr(g.pick(['num', 'str', 'bool', 'arr'] as const), depth - 1)],
          [1, () => 'nil'],
          [2, () => this.resultAtom('any')],
        ]);
    }
  }

  pred(depth: number): string {
    const g = this.g;
    const body = g.oneOf<string>([
      [3, () => this.bin('#', g.pick(CMP), this.expr('num', Math.min(depth, 1)))],
      [1, () => `isNaN(#)`],
      [1, () => this.bin(this.bin('#', g.pick(['*', '+', '/', '%']), this.numLeaf()), g.pick(CMP), this.numLeaf())],
      [1, () => `#index ${g.pick(CMP)} ${g.int(0, 2)}`],
      [1, () => `.x ${g.pick(CMP)} ${this.numLeaf()}`],
      [1, () => g.pick(['true', 'false', '# == nil', '# != #', 'type(#) == "float"'])],
      [1, () => `${this.bin('#', '>', '0')} && ${this.bin('#', '<', '1')}`],
    ]);
    return g.chance(0.6) ? `{${body}}` : body;
  }

  numLeaf(): string {
    return this.g.chance(0.5) ? this.intLit() : this.floatLit();
  }

  leaf(t: T): string {
    const g = this.g;
    switch (t) {
      case 'bool':
        return g.oneOf<string>([
          [1, () => g.pick(['true', 'false'])],
          [3, () => this.resultAtom('bool')],
          [1, () => g.pick(['nil == nil', '1 == 1.0', '"5" == 5', '[0.5] == [0.5]', '1..3 == [1, 2, 3]', '0/0 == 0/0', '1/0 > 1'])],
        ]);
      case 'num':
        return g.oneOf<string>([
          [3, () => this.numLeaf()],
          [3, () => this.resultAtom('num')],
        ]);
      case 'str':
        return g.oneOf<string>([
          [3, () => this.strLit()],
          [1, () => this.resultAtom('str')],
        ]);
      case 'arr':
        return g.oneOf<string>([
          [1, () => g.pick(['[]', '[1, 2, 3]', '[0.5, 1.5]', '[1, 2.5, "a", nil]', '1..3', '["a", "b"]'])],
          [2, () => this.resultAtom('arr')],
        ]);
      default:
        return g.oneOf<string>([
          [1, () => g.pick(['nil', '1', '0.5', "'x'", 'true', '{a: 1}'])],
          [2, () => this.resultAtom('any')],
        ]);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Ill-formed: mutations

const JUNK = [
  '(', ')', '[', ']', '{', '}', ',', '.', '?.', '?', ':', '#', '!', '-', '+', '*', '/', '%', '**', '==', '=', '<',
  '&&', '||', 'and', 'not', 'in', '..', '|', ';', "'", '"', '`', '\\', 'nil', 'let', 'result', '0', '1.', '1e', '0x',
  '@', '$', '&', '~', 'if', 'else', '#index', '??', '?:', '//', '/*',
];

function mutate(g: Gen, text: string): string {
  const tokens = text.match(/\s+|[A-Za-z_$#][\w$]*|\d[\w.]*|'(?:\\.|[^'])*'|"(?:\\.|[^"])*"|\*\*|\?\?|\?\.|\.\.|&&|\|\||[=!<>]=|./g) ?? [text];
  const ops = g.int(1, 2);
  for (let k = 0; k < ops; k++) {
    const i = g.int(0, Math.max(0, tokens.length - 1));
    g.oneOf<void>([
      [3, () => void tokens.splice(i, 1)],
      [3, () => void tokens.splice(i, 0, g.pick(JUNK))],
      [1, () => void tokens.splice(i, 1, g.pick(JUNK))],
      [1, () => void tokens.splice(i + 1)],
      [1, () => {
        const j = g.int(0, Math.max(0, tokens.length - 1));
        const a = tokens[i];
        tokens[i] = tokens[j]!;
        tokens[j] = a!;
      }],
      [1, () => void tokens.splice(i, 0, ' ', g.pick(JUNK), ' ')],
    ]);
  }
  return tokens.join('');
}

// ---------------------------------------------------------------------------------------------

const KINDS: readonly ResultKind[] = ['[]float64', 'float64', 'json'];

export interface CorpusOptions {
  seed: string | number;
  /** Condition × result pairs (the same pairs run under each expr version). */
  pairs: number;
  /** (success, failure) × result triples for EvaluateResult. */
  assessPairs: number;
}

export interface Corpus {
  readonly pairs: readonly Pair[];
  readonly assess: readonly AssessPair[];
}

export function generateCorpus(opts: CorpusOptions): Corpus {
  const g = new Gen(new RandomStream(opts.seed, 'differential-conditions'));
  const pairs: Pair[] = [];
  const conditions: { c: ConditionCase; kind: ResultKind }[] = [];
  while (pairs.length < opts.pairs) {
    const kind = g.pick(KINDS);
    const c = g.oneOf<ConditionCase>([
      [3, () => ({ condition: pattern(g, kind), source: 'pattern' })],
      [5, () => ({ condition: new ExprGen(g, kind).expr('bool', g.int(1, 4)), source: 'random' })],
      [2, () => ({
        condition: mutate(g, g.chance(0.5) ? pattern(g, kind) : new ExprGen(g, kind).expr('bool', g.int(1, 3))),
        source: 'mutant',
      })],
    ]);
    conditions.push({ c, kind });
    // Mostly the kind the condition was written for; sometimes another (type errors, odd shapes).
    const n = g.int(2, 5);
    for (let i = 0; i < n && pairs.length < opts.pairs; i++) {
      const rk = g.chance(0.8) ? kind : g.pick(KINDS);
      pairs.push({ condition: c, result: randomResult(g, rk) });
    }
  }
  const assess: AssessPair[] = [];
  for (let i = 0; i < opts.assessPairs; i++) {
    const kind = g.pick(KINDS);
    const cond = (): string => {
      if (g.chance(0.25)) return '';
      if (g.chance(0.6)) return pattern(g, kind);
      return g.pick(conditions).c.condition;
    };
    assess.push({ success: cond(), failure: cond(), result: randomResult(g, g.chance(0.9) ? kind : g.pick(KINDS)) });
  }
  return { pairs, assess };
}
