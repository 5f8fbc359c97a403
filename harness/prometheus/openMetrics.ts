// Exports a rehearsal's series as OpenMetrics text, the input of
// `promtool tsdb create-blocks-from openmetrics` — so the very samples rehearse analysed can be
// loaded into a real Prometheus (the PromQL benchmark does; users can inspect a run in Grafana).
// Rules from Prometheus' backfill (reference §7.2): every sample needs a timestamp in seconds,
// the file ends with `# EOF`, stale markers cannot be expressed (they are left out).
import { SampleBuffer, type SeriesStore } from '../../sim/metrics/store.js';

function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Go's strconv.FormatFloat(v, 'g', -1) spelling for the special values OpenMetrics accepts. */
function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}

/**
 * All samples of the store; virtual time t ms is written as Unix seconds `(epochMs + t) / 1000`.
 * Series are written contiguously, in the store's label order.
 */
export function storeToOpenMetrics(store: SeriesStore, epochMs: number): string {
  const lines: string[] = [];
  const buf = new SampleBuffer();
  for (const series of store.select([])) {
    const name = series.labels.get('__name__');
    const pairs: string[] = [];
    series.labels.names.forEach((n, i) => {
      if (n !== '__name__') pairs.push(`${n}="${escapeLabelValue(series.labels.values[i]!)}"`);
    });
    const head = `${name}{${pairs.join(',')}}`;
    const n = series.readRange(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, false, buf);
    for (let i = 0; i < n; i++) lines.push(`${head} ${formatValue(buf.v[i]!)} ${(epochMs + buf.t[i]!) / 1000}`);
  }
  lines.push('# EOF');
  return lines.join('\n') + '\n';
}
