// How expectation values are written back to the user: Go durations (as they wrote them) and
// percentages without trailing zeros.

/** Go's time.Duration.String for whole milliseconds: 90000 → "1m30s", 3600000 → "1h0m0s", 1500 → "1.5s". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  if (rest < 1000) return `${sign}${rest}ms`;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = `${rest / 1000}s`;
  if (h > 0) return `${sign}${h}h${m}m${s}`;
  if (m > 0) return `${sign}${m}m${s}`;
  return `${sign}${s}`;
}

/** 0.003 → "0.3%", 0.0014135 → "0.141%". */
export function formatPercent(r: number): string {
  return `${(r * 100).toFixed(3).replace(/\.?0+$/, '')}%`;
}
