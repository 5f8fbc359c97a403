// Label matchers (`model/labels/matcher.go`, `model/labels/regexp.go`). Regexes are RE2 (the
// re2js port, so syntax and semantics match Go's `regexp`) and fully anchored. Prometheus 2.42
// compiles `^(?:re)$` (`.` does not match "\n"); Prometheus 3 compiles `^(?s:re)$` so `.` matches
// "\n" (reference table 1.16 row 9).

import { RE2JS } from 're2js';
import type { LabelMatcher, MatchType } from './ast.js';

export type MatcherResult = { ok: true; matcher: LabelMatcher } | { ok: false; error: string };

export function newLabelMatcher(type: MatchType, name: string, value: string, version: 2 | 3): MatcherResult {
  switch (type) {
    case '=':
      return { ok: true, matcher: { type, name, value, equalValue: value, matches: (v: string) => v === value } };
    case '!=':
      return { ok: true, matcher: { type, name, value, matches: (v: string) => v !== value } };
    case '=~':
    case '!~': {
      let re: RE2JS;
      try {
        re = RE2JS.compile(version === 2 ? `^(?:${value})$` : `^(?s:${value})$`);
      } catch (e) {
        // re2js words its syntax errors like Go's regexp/syntax ("error parsing regexp: ...").
        return { ok: false, error: e instanceof Error ? e.message : String(e) };
      }
      const cache = new Map<string, boolean>();
      const test = (v: string): boolean => {
        let r = cache.get(v);
        if (r === undefined) {
          r = re.matches(v);
          if (cache.size < 4096) cache.set(v, r);
        }
        return r;
      };
      return type === '=~'
        ? { ok: true, matcher: { type, name, value, matches: test } }
        : { ok: true, matcher: { type, name, value, matches: (v: string) => !test(v) } };
    }
  }
}
