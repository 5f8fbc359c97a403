// Why a query's selector matched no simulated series, told the way a colleague would: a metric name
// the simulated exporter does not emit (and the closest one it does), a label the metric does not
// carry (and its labels), or a value none of its series has (and the values they have). Pure: reads
// the store's series and label names only.
import { editDistance } from '../manifests/suggest.js';
import { compileQuery, PromqlError } from './promql/index.js';
import type { Expr, LabelMatcher, VectorSelector } from './promql/ast.js';
import { METRIC_NAME, type SeriesHandle, type SeriesStore } from './store.js';

/** The name in `known` closest to `name` (edit distance, ties in order); undefined if none. */
export function closestName(name: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

function firstSelector(e: Expr): VectorSelector | undefined {
  if (e.kind === 'vectorSelector') return e;
  if (e.kind === 'matrixSelector') return e.selector;
  return undefined;
}

const list = (xs: readonly string[], max = 6): string => {
  const shown = xs.slice(0, max).join(', ');
  return xs.length > max ? `${shown}, … (${xs.length} in all)` : shown;
};

/** One sentence on why `selectorText` (a vector selector as written in a query) selects nothing in `store`. */
export function adviseSelector(selectorText: string, store: SeriesStore, prometheusVersion: 2 | 3 = 3): string {
  let selector: VectorSelector | undefined;
  try {
    selector = firstSelector(compileQuery(selectorText, { prometheusVersion }).expr);
  } catch (e) {
    if (!(e instanceof PromqlError)) throw e;
  }
  if (!selector) return '';
  const all = store.select([]);
  const names = [...new Set(all.map((h) => h.labels.get(METRIC_NAME)))].sort();
  const nameMatcher = selector.matchers.find((m) => m.name === METRIC_NAME);
  let candidates: readonly SeriesHandle[] = all;
  let subject = 'any series';
  if (nameMatcher) {
    candidates = all.filter((h) => nameMatcher.matches(h.labels.get(METRIC_NAME)));
    if (candidates.length === 0) {
      const wanted = nameMatcher.value;
      const closest = closestName(wanted, names);
      return `the simulated exporter emits no metric ${nameMatcher.type === '=' ? `named ${wanted}` : `matching ${nameMatcher.type}"${wanted}"`}${closest ? ` — closest: ${closest}` : ''} (emitted: ${list(names)})`;
    }
    subject = nameMatcher.type === '=' ? nameMatcher.value : `the series matching __name__${nameMatcher.type}"${nameMatcher.value}"`;
  }
  for (const m of selector.matchers) {
    if (m === nameMatcher) continue;
    const present = candidates.filter((h) => h.labels.has(m.name));
    if (present.length === 0) {
      // An absent label reads as "": a matcher that accepts "" is satisfied by its absence.
      if (m.matches('')) continue;
      const labelNames = [...new Set(candidates.flatMap((h) => Object.keys(h.labels.toRecord())))].filter((n) => n !== METRIC_NAME).sort();
      const closest = closestName(m.name, labelNames);
      return `${subject} has no label ${m.name}${closest ? ` — closest: ${closest}` : ''} (its labels: ${list(labelNames, 12)})`;
    }
    if (!candidates.some((h) => m.matches(h.labels.get(m.name)))) {
      const values = [...new Set(present.map((h) => h.labels.get(m.name)))].sort();
      const status = STATUS_LABELS.has(m.name) ? '; a status series exists only once a request with that status was served — guard the query with `or vector(0)` or the condition with `len(result) == 0 ||`' : '';
      return `no series of ${subject} has ${describe(m)} (values seen: ${list(values)})${status}`;
    }
  }
  return `each matcher matches some series of ${subject}, but no series matches them all (e.g. an error status that was never served: guard the query with \`or vector(0)\` or the condition with \`len(result) == 0 ||\`)`;
}

/** Status labels of the presets: their series appear lazily, with the first request of that status. */
const STATUS_LABELS = new Set(['code', 'status', 'response_code', 'status_code', 'classification', 'envoy_response_code', 'envoy_response_code_class']);

function describe(m: LabelMatcher): string {
  return `${m.name}${m.type}${JSON.stringify(m.value)}`;
}

/**
 * The selectors of `query` that match no series at all in `store` (as written in the query), or
 * undefined when the query does not parse (the run reports parse errors as measurement errors).
 */
export function unmatchedSelectors(query: string, store: SeriesStore, prometheusVersion: 2 | 3 = 3): string[] | undefined {
  let selectors: readonly { readonly text: string }[];
  try {
    selectors = compileQuery(query, { prometheusVersion }).selectors;
  } catch (e) {
    if (e instanceof PromqlError) return undefined;
    throw e;
  }
  const out: string[] = [];
  for (const s of selectors) {
    const vs = firstSelector(compileQuery(s.text, { prometheusVersion }).expr);
    if (vs && store.select(vs.matchers).length === 0) out.push(s.text);
  }
  return out;
}
