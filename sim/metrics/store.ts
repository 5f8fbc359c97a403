// In-memory time-series store: what the simulated Prometheus scrapes into and the PromQL engine
// reads from. Mirrors the data model of Prometheus (`model/labels`, `tsdb/head.go`): a series is
// identified by its full label set (including `__name__`), samples are (integer ms, float64),
// and a stale marker ends a series (`model/value/value.go: StaleNaN`).
//
// Memory layout. A simulated day of ~2,000 series scraped every 15 s is ~11.5 M samples, so a
// sample must cost well under 16 bytes. Samples live in fixed-capacity chunks (like the TSDB's
// chunks): values in a Float64Array; timestamps are not stored at all while a chunk's samples are
// evenly spaced (the normal case for scrapes: base + i*step), and as Int32 offsets from the chunk
// base once they are not. Only the first chunk of a series grows by doubling (16 -> 1024), so short
// series stay small and long ones waste at most one partly-filled chunk. Stale markers are kept
// in a per-chunk flag array allocated on first use (never as NaN payload bits: JS engines may
// canonicalise NaNs).

/** Largest offset from a chunk's base that fits an Int32 timestamp offset (~24.8 days). */
const MAX_CHUNK_SPAN_MS = 0x7fffffff;
const CHUNK_CAPACITY = 1024;
/** A scrape-per-15s series fills 256 samples in about an hour; short-lived series stay cheap. */
const FIRST_CHUNK_CAPACITY = 256;

/** The metric-name label (`model/labels/labels.go: MetricName`). */
export const METRIC_NAME = '__name__';

/**
 * An immutable label set, sorted bytewise by name, without empty-valued labels (Prometheus treats
 * an empty value as an absent label). `key` is an unambiguous encoding used for hashing.
 */
export class Labels {
  readonly names: readonly string[];
  readonly values: readonly string[];
  private keyCache: string | undefined;

  /** Callers must pass names sorted and unique, without empty values; use `Labels.from` otherwise. */
  constructor(names: readonly string[], values: readonly string[]) {
    this.names = names;
    this.values = values;
  }

  static readonly EMPTY = new Labels([], []);

  static from(record: Readonly<Record<string, string>>): Labels {
    const names = Object.keys(record)
      .filter((n) => record[n] !== '' && record[n] !== undefined)
      .sort(compareStrings);
    return new Labels(
      names,
      names.map((n) => record[n] as string),
    );
  }

  get size(): number {
    return this.names.length;
  }

  /** Unambiguous identity string (length-prefixed pairs). */
  get key(): string {
    if (this.keyCache === undefined) {
      let k = '';
      for (let i = 0; i < this.names.length; i++) {
        const n = this.names[i] as string;
        const v = this.values[i] as string;
        k += `${n.length}:${n}${v.length}:${v}`;
      }
      this.keyCache = k;
    }
    return this.keyCache;
  }

  /** The value of `name`, or "" when absent (Prometheus' `Labels.Get`). */
  get(name: string): string {
    const i = this.indexOf(name);
    return i < 0 ? '' : (this.values[i] as string);
  }

  has(name: string): boolean {
    return this.indexOf(name) >= 0;
  }

  private indexOf(name: string): number {
    const names = this.names;
    for (let i = 0; i < names.length; i++) if (names[i] === name) return i;
    return -1;
  }

  /** A copy without the listed labels. */
  without(drop: readonly string[]): Labels {
    if (drop.length === 0) return this;
    const names: string[] = [];
    const values: string[] = [];
    for (let i = 0; i < this.names.length; i++) {
      const n = this.names[i] as string;
      if (!drop.includes(n)) {
        names.push(n);
        values.push(this.values[i] as string);
      }
    }
    return names.length === this.names.length ? this : new Labels(names, values);
  }

  /** A copy keeping only the listed labels. */
  keep(keepNames: readonly string[]): Labels {
    const names: string[] = [];
    const values: string[] = [];
    for (let i = 0; i < this.names.length; i++) {
      const n = this.names[i] as string;
      if (keepNames.includes(n)) {
        names.push(n);
        values.push(this.values[i] as string);
      }
    }
    return names.length === this.names.length ? this : new Labels(names, values);
  }

  /** A copy with `name` set to `value` ("" removes it), like `labels.Builder.Set`. */
  with(name: string, value: string): Labels {
    const rec = this.toRecord();
    rec[name] = value;
    return Labels.from(rec);
  }

  withoutName(): Labels {
    return this.without([METRIC_NAME]);
  }

  toRecord(): Record<string, string> {
    const out: Record<string, string> = {};
    for (let i = 0; i < this.names.length; i++) out[this.names[i] as string] = this.values[i] as string;
    return out;
  }

  /** Prometheus text form: `name{a="b"}` or `{a="b"}` (values Go-quoted). */
  toString(): string {
    let name = '';
    const parts: string[] = [];
    for (let i = 0; i < this.names.length; i++) {
      const n = this.names[i] as string;
      const v = this.values[i] as string;
      if (n === METRIC_NAME) name = v;
      else parts.push(`${n}=${JSON.stringify(v)}`);
    }
    return parts.length === 0 && name !== '' ? name : `${name}{${parts.join(', ')}}`;
  }
}

/** Bytewise order of UTF-16 strings (equal to UTF-8 byte order outside the surrogate range). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Prometheus' `labels.Compare`: pairwise by name, then value; then by length. */
export function compareLabels(a: Labels, b: Labels): number {
  const n = Math.min(a.names.length, b.names.length);
  for (let i = 0; i < n; i++) {
    const c1 = compareStrings(a.names[i] as string, b.names[i] as string);
    if (c1 !== 0) return c1;
    const c2 = compareStrings(a.values[i] as string, b.values[i] as string);
    if (c2 !== 0) return c2;
  }
  return a.names.length - b.names.length;
}

/** One selection criterion on a label; a missing label is matched as "". */
export interface SeriesMatcher {
  readonly name: string;
  /** Set for `=` matchers so the store can use its name index. */
  readonly equalValue?: string | undefined;
  matches(value: string): boolean;
}

/** A reusable buffer the store fills with the samples of a window (stale markers removed). */
export class SampleBuffer {
  t: Float64Array;
  v: Float64Array;
  n = 0;
  constructor(capacity = 64) {
    this.t = new Float64Array(capacity);
    this.v = new Float64Array(capacity);
  }
  ensure(capacity: number): void {
    if (capacity <= this.t.length) return;
    let c = this.t.length * 2;
    while (c < capacity) c *= 2;
    const t = new Float64Array(c);
    const v = new Float64Array(c);
    t.set(this.t);
    v.set(this.v);
    this.t = t;
    this.v = v;
  }
}

class Chunk {
  readonly base: number;
  /** Spacing while the chunk is regular (offsets === null). */
  step = 0;
  offsets: Int32Array | null = null;
  values: Float64Array;
  stale: Uint8Array | null = null;
  length = 0;
  lastT: number;

  constructor(base: number, capacity: number) {
    this.base = base;
    this.lastT = base;
    this.values = new Float64Array(capacity);
  }

  timeAt(i: number): number {
    return this.offsets === null ? this.base + i * this.step : this.base + (this.offsets[i] as number);
  }

  /** Index of the last sample with time <= t, or -1. */
  lastIndexAtOrBefore(t: number): number {
    if (t >= this.lastT) return this.length - 1;
    if (t < this.base) return -1;
    if (this.offsets === null) {
      // Regular: base + i*step <= t  <=>  i <= (t-base)/step (step > 0 here since length >= 2).
      return Math.floor((t - this.base) / this.step);
    }
    const rel = t - this.base;
    const offs = this.offsets;
    let lo = 0;
    let hi = this.length - 1; // offs[lo] <= rel < offs[hi]
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if ((offs[mid] as number) <= rel) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  isStale(i: number): boolean {
    return this.stale !== null && this.stale[i] === 1;
  }
}

/** A series in the store. Keep the handle: appends through it do no label hashing. */
export class SeriesHandle {
  readonly labels: Labels;
  private readonly chunks: Chunk[] = [];
  /** The newest chunk (appends go there): saves an array lookup on the hot path. */
  private lastChunk: Chunk | undefined;
  private count = 0;

  /** @internal created by SeriesStore.series */
  constructor(labels: Labels) {
    this.labels = labels;
  }

  get sampleCount(): number {
    return this.count;
  }

  /** Time of the newest sample or stale marker, or -Infinity. */
  get lastTime(): number {
    const c = this.chunks[this.chunks.length - 1];
    return c === undefined ? -Infinity : c.lastT;
  }

  append(timeMs: number, value: number): void {
    this.push(timeMs, value, false);
  }

  /** Appends a Prometheus stale marker: the series is absent from this time on until a new sample. */
  appendStale(timeMs: number): void {
    this.push(timeMs, Number.NaN, true);
  }

  private push(timeMs: number, value: number, stale: boolean): void {
    if (!Number.isSafeInteger(timeMs)) {
      throw new RangeError(`sample time must be an integer number of ms, got ${timeMs}`);
    }
    let c = this.lastChunk;
    if (c !== undefined && timeMs <= c.lastT) {
      throw new RangeError(
        `out-of-order sample for ${this.labels.toString()}: ${timeMs} ms after ${c.lastT} ms (timestamps must increase)`,
      );
    }
    if (c === undefined || c.length === CHUNK_CAPACITY || timeMs - c.base > MAX_CHUNK_SPAN_MS) {
      c = new Chunk(timeMs, this.chunks.length === 0 ? FIRST_CHUNK_CAPACITY : CHUNK_CAPACITY);
      this.chunks.push(c);
      this.lastChunk = c;
    } else if (c.length === c.values.length) {
      growChunk(c);
    }
    const i = c.length;
    if (i === 1) {
      c.step = timeMs - c.base;
    } else if (i > 1) {
      if (c.offsets === null && timeMs - c.lastT !== c.step) {
        const offs = new Int32Array(c.values.length);
        for (let k = 0; k < i; k++) offs[k] = k * c.step;
        c.offsets = offs;
      }
    }
    if (c.offsets !== null) c.offsets[i] = timeMs - c.base;
    c.values[i] = value;
    if (stale) {
      if (c.stale === null) c.stale = new Uint8Array(c.values.length);
      c.stale[i] = 1;
    }
    c.length = i + 1;
    c.lastT = timeMs;
    this.count++;
  }

  /** Chunk index holding the last sample with time <= t, or -1. */
  private chunkAtOrBefore(t: number): number {
    const chunks = this.chunks;
    let lo = 0;
    let hi = chunks.length - 1;
    if (hi < 0 || t < (chunks[0] as Chunk).base) return -1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((chunks[mid] as Chunk).base <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /**
   * The newest sample at or before `refMs` if it is not stale and lies in the lookback window:
   * `(ref - lookback, ref]` when `leftOpen`, else `[ref - lookback, ref]`. Writes it to `out[0]`
   * (`out.n` = 1) and returns true; otherwise returns false.
   */
  latest(refMs: number, lookbackMs: number, leftOpen: boolean, out: SampleBuffer): boolean {
    const ci = this.chunkAtOrBefore(refMs);
    if (ci < 0) return false;
    const c = this.chunks[ci] as Chunk;
    const i = c.lastIndexAtOrBefore(refMs);
    if (i < 0) return false;
    const t = c.timeAt(i);
    const minT = refMs - lookbackMs;
    if (leftOpen ? t <= minT : t < minT) return false;
    if (c.isStale(i)) return false;
    out.t[0] = t;
    out.v[0] = c.values[i] as number;
    out.n = 1;
    return true;
  }

  /**
   * Fills `out` with the non-stale samples whose time lies in `(minT, maxT]` (`leftOpen`) or
   * `[minT, maxT]`; returns how many.
   */
  readRange(minT: number, maxT: number, leftOpen: boolean, out: SampleBuffer): number {
    out.n = 0;
    let ci = this.chunkAtOrBefore(maxT);
    if (ci < 0) return 0;
    // Walk back to the first chunk that may hold samples in the window.
    while (ci > 0 && (this.chunks[ci] as Chunk).base > minT) ci--;
    const chunks = this.chunks;
    let n = 0;
    for (; ci < chunks.length; ci++) {
      const c = chunks[ci] as Chunk;
      if (c.base > maxT) break;
      if (leftOpen ? c.lastT <= minT : c.lastT < minT) continue;
      // First index inside the window.
      let first = leftOpen ? c.lastIndexAtOrBefore(minT) + 1 : c.lastIndexAtOrBefore(minT - 1) + 1;
      if (first < 0) first = 0;
      const last = c.lastIndexAtOrBefore(maxT);
      if (last < first) continue;
      out.ensure(n + (last - first + 1));
      const ts = out.t;
      const vs = out.v;
      const stale = c.stale;
      for (let i = first; i <= last; i++) {
        if (stale !== null && stale[i] === 1) continue;
        ts[n] = c.timeAt(i);
        vs[n] = c.values[i] as number;
        n++;
      }
    }
    out.n = n;
    return n;
  }

  /** Approximate bytes held by sample storage (for memory tests and reports). */
  get byteSize(): number {
    let b = 0;
    for (const c of this.chunks) {
      b += c.values.byteLength + (c.offsets?.byteLength ?? 0) + (c.stale?.byteLength ?? 0) + 64;
    }
    return b;
  }
}

function growChunk(c: Chunk): void {
  const cap = Math.min(c.values.length * 2, CHUNK_CAPACITY);
  const values = new Float64Array(cap);
  values.set(c.values);
  c.values = values;
  if (c.offsets !== null) {
    const offs = new Int32Array(cap);
    offs.set(c.offsets);
    c.offsets = offs;
  }
  if (c.stale !== null) {
    const st = new Uint8Array(cap);
    st.set(c.stale);
    c.stale = st;
  }
}

/** The store: get-or-create series by label set, select series by matchers. */
export class SeriesStore {
  private readonly byKey = new Map<string, SeriesHandle>();
  /** Series per metric name, kept sorted by label set (Prometheus' storage order). */
  private readonly byName = new Map<string, SeriesHandle[]>();
  private readonly all: SeriesHandle[] = [];
  /** Increases whenever a series is created; lets query caches know a selection may change. */
  generation = 0;

  get seriesCount(): number {
    return this.all.length;
  }

  /** Samples and stale markers in the store (summed on demand: appends stay one write each). */
  get sampleCount(): number {
    let n = 0;
    for (const h of this.all) n += h.sampleCount;
    return n;
  }

  /** Get or create the series with exactly these labels (empty values are dropped). */
  series(labels: Readonly<Record<string, string>> | Labels): SeriesHandle {
    const ls = labels instanceof Labels ? labels : Labels.from(labels);
    const existing = this.byKey.get(ls.key);
    if (existing !== undefined) return existing;
    const h = new SeriesHandle(ls);
    this.byKey.set(ls.key, h);
    this.all.push(h);
    const name = ls.get(METRIC_NAME);
    let list = this.byName.get(name);
    if (list === undefined) {
      list = [];
      this.byName.set(name, list);
    }
    insertSorted(list, h);
    this.generation++;
    return h;
  }

  /** The existing series with these labels, if any. */
  find(labels: Readonly<Record<string, string>> | Labels): SeriesHandle | undefined {
    const ls = labels instanceof Labels ? labels : Labels.from(labels);
    return this.byKey.get(ls.key);
  }

  /** Series matching every matcher, sorted by label set. */
  select(matchers: readonly SeriesMatcher[]): SeriesHandle[] {
    const nameMatcher = matchers.find((m) => m.name === METRIC_NAME && m.equalValue !== undefined);
    let candidates: readonly SeriesHandle[];
    let sorted = true;
    if (nameMatcher !== undefined) {
      candidates = this.byName.get(nameMatcher.equalValue as string) ?? [];
    } else {
      candidates = this.all;
      sorted = false;
    }
    const out: SeriesHandle[] = [];
    for (const h of candidates) {
      let ok = true;
      for (const m of matchers) {
        if (m !== nameMatcher && !m.matches(h.labels.get(m.name))) {
          ok = false;
          break;
        }
      }
      if (ok) out.push(h);
    }
    if (!sorted) out.sort((a, b) => compareLabels(a.labels, b.labels));
    return out;
  }

  /** Approximate bytes held by sample storage. */
  get byteSize(): number {
    let b = 0;
    for (const h of this.all) b += h.byteSize;
    return b;
  }
}

function insertSorted(list: SeriesHandle[], h: SeriesHandle): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareLabels((list[mid] as SeriesHandle).labels, h.labels) < 0) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, h);
}
