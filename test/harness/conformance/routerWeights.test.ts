import { describe, expect, it } from 'vitest';
import { istioCanaryWeight, nginxCanaryWeight, smiCanaryWeight } from '../../../harness/conformance/routerWeights.js';

describe('router weights read back from the objects the controller writes', () => {
  it('NGINX canary Ingress: canary-weight of canary-weight-total (default 100); the stable Ingress is no canary', () => {
    const canary = { metadata: { annotations: { 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '20' } } };
    expect(nginxCanaryWeight(canary)).toEqual({ canaryWeight: 20, maxWeight: 100 });
    const scaled = { metadata: { annotations: { 'custom.io/canary': 'true', 'custom.io/canary-weight': '5', 'custom.io/canary-weight-total': '1000' } } };
    expect(nginxCanaryWeight(scaled)).toEqual({ canaryWeight: 5, maxWeight: 1000 });
    expect(nginxCanaryWeight({ metadata: { annotations: {} } })).toBeUndefined();
  });

  it('Istio VirtualService: the canary destination of the named route', () => {
    const vs = {
      spec: {
        http: [
          { name: 'other', route: [{ destination: { host: 'web-canary' }, weight: 90 }] },
          { name: 'primary', route: [{ destination: { host: 'web-stable' }, weight: 70 }, { destination: { host: 'web-canary.ns.svc.cluster.local' }, weight: 30 }] },
        ],
      },
    };
    expect(istioCanaryWeight(vs, 'web-canary', ['primary'])).toEqual({ canaryWeight: 30, maxWeight: 100 });
  });

  it('SMI TrafficSplit: the canary backend', () => {
    expect(smiCanaryWeight({ spec: { backends: [{ service: 'web-stable', weight: 75 }, { service: 'web-canary', weight: 25 }] } }, 'web-canary')).toEqual({ canaryWeight: 25, maxWeight: 100 });
  });
});
