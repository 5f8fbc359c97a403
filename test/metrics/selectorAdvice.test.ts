// Advice for a selector that matched nothing: the closest metric name, the missing label and the
// labels the metric has, the values a label has — checked against a small store.
import { describe, expect, it } from 'vitest';
import { adviseSelector, closestName } from '../../sim/metrics/selectorAdvice.js';
import { SeriesStore } from '../../sim/metrics/store.js';

function store(): SeriesStore {
  const s = new SeriesStore();
  for (const code of ['200', '503']) s.series({ __name__: 'istio_requests_total', reporter: 'source', destination_service: 'web-canary.shop.svc.cluster.local', response_code: code }).append(0, 1);
  s.series({ __name__: 'istio_request_duration_milliseconds_bucket', reporter: 'source', le: '100' }).append(0, 1);
  return s;
}

describe('adviseSelector', () => {
  it('names the closest metric the exporter emits', () => {
    expect(adviseSelector('http_requests_total{service="web"}', store())).toBe(
      'the simulated exporter emits no metric named http_requests_total — closest: istio_requests_total (emitted: istio_request_duration_milliseconds_bucket, istio_requests_total)',
    );
  });

  it('names a label the metric lacks, with the closest label', () => {
    expect(adviseSelector('istio_requests_total{destination_svc="web"}', store())).toMatch(/^istio_requests_total has no label destination_svc — closest: destination_service \(its labels: destination_service, reporter, response_code\)$/);
  });

  it('lists the values a label has when none matches', () => {
    expect(adviseSelector('istio_requests_total{destination_service="web-canary"}', store())).toBe(
      'no series of istio_requests_total has destination_service="web-canary" (values seen: web-canary.shop.svc.cluster.local)',
    );
  });

  it('explains lazily created status series', () => {
    expect(adviseSelector('istio_requests_total{response_code=~"4.."}', store())).toMatch(/values seen: 200, 503\); a status series exists only once a request with that status was served/);
  });

  it('accepts an absent label for a matcher that matches the empty string', () => {
    expect(adviseSelector('istio_requests_total{canary="",reporter="destination"}', store())).toBe('no series of istio_requests_total has reporter="destination" (values seen: source)');
  });

  it('says when only the combination of matchers is empty', () => {
    const s = new SeriesStore();
    s.series({ __name__: 'm', a: '1', b: '1' }).append(0, 1);
    s.series({ __name__: 'm', a: '2', b: '2' }).append(0, 1);
    expect(adviseSelector('m{a="1",b="2"}', s)).toMatch(/^each matcher matches some series of m, but no series matches them all/);
  });
});

describe('closestName', () => {
  it('prefers the smallest edit distance, first on ties', () => {
    expect(closestName('request_total', ['response_total', 'request_total_x', 'requests_total'])).toBe('requests_total');
    expect(closestName('x', [])).toBeUndefined();
  });
});
