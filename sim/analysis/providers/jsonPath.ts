// The part of Kubernetes JSONPath (k8s.io/client-go/util/jsonpath) that web metrics use:
// `{$.data.ok}`, `{.items[0].value}`, `{$['a-b'][*]}`. The web provider calls `FindResults` and
// keeps the first value found (metricproviders/webmetric: getValue). Errors quote jsonpath's:
// "<field> is not found", "array index out of bounds: index N, length M". Filters, recursive
// descent and slices are refused with a message saying so (never silently misread).

type Segment = { kind: 'field'; name: string } | { kind: 'index'; index: number } | { kind: 'all' };

export class JsonPathError extends Error {}

/** Parses the first `{...}` expression of a template. */
export function parseJsonPath(template: string): Segment[] {
  const m = /\{([^}]*)\}/.exec(template);
  if (!m) throw new JsonPathError(`unsupported JSONPath ${JSON.stringify(template)}: rehearse reads one {…} expression such as {$.data.ok}`);
  let expr = m[1]!.trim();
  if (expr.startsWith('$')) expr = expr.slice(1);
  const segments: Segment[] = [];
  let i = 0;
  while (i < expr.length) {
    const rest = expr.slice(i);
    let t: RegExpExecArray | null;
    if (rest.startsWith('..')) throw new JsonPathError(`recursive descent (..) in JSONPath ${JSON.stringify(template)} is not simulated by rehearse`);
    if ((t = /^\.\*/.exec(rest))) segments.push({ kind: 'all' });
    else if ((t = /^\.([A-Za-z0-9_-]+)/.exec(rest))) segments.push({ kind: 'field', name: t[1]! });
    else if ((t = /^\[\s*'([^']*)'\s*\]/.exec(rest)) || (t = /^\[\s*"([^"]*)"\s*\]/.exec(rest))) segments.push({ kind: 'field', name: t[1]! });
    else if ((t = /^\[\s*(-?\d+)\s*\]/.exec(rest))) segments.push({ kind: 'index', index: Number(t[1]) });
    else if ((t = /^\[\s*\*\s*\]/.exec(rest))) segments.push({ kind: 'all' });
    else if (rest === '.') break;
    else throw new JsonPathError(`unsupported JSONPath ${JSON.stringify(template)} at ${JSON.stringify(rest)}: rehearse reads fields (.a, ['a']), indexes ([0]) and [*]`);
    i += t[0].length;
  }
  return segments;
}

/** All values the path finds in `data`, in document order (`FindResults`, flattened). */
export function findResults(segments: readonly Segment[], data: unknown): unknown[] {
  let current: unknown[] = [data];
  for (const s of segments) {
    const next: unknown[] = [];
    for (const v of current) {
      if (s.kind === 'field') {
        if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.prototype.hasOwnProperty.call(v, s.name)) next.push((v as Record<string, unknown>)[s.name]);
      } else if (s.kind === 'index') {
        if (!Array.isArray(v)) continue;
        const idx = s.index < 0 ? v.length + s.index : s.index;
        if (idx < 0 || idx >= v.length) throw new JsonPathError(`array index out of bounds: index ${s.index}, length ${v.length}`);
        next.push(v[idx]);
      } else if (Array.isArray(v)) next.push(...(v as unknown[]));
      else if (v !== null && typeof v === 'object') next.push(...Object.keys(v).sort().map((k) => (v as Record<string, unknown>)[k]));
    }
    if (next.length === 0 && s.kind === 'field') throw new JsonPathError(`${s.name} is not found`);
    current = next;
  }
  return current;
}
