import { describe, expect, it } from 'vitest';
import { assertNotProduction, productionWord } from '../../../harness/cluster/productionGuard.js';

describe('production context guard', () => {
  it.each([
    ['prod', 'prod'],
    ['my-prod-cluster', 'prod'],
    ['gke_acme_europe-west1_production', 'production'],
    ['arn:aws:eks:us-east-1:123:cluster/PRD', 'prd'],
    ['eu.live.k8s', 'live'],
    ['prod2', 'prod2'],
  ])('%s looks like production (%s)', (name, word) => {
    expect(productionWord(name)).toBe(word);
  });

  it.each(['kind-rehearse', 'product-catalog', 'staging', 'liveness-tests', 'preprod', 'dev', 'k3d-prodlike'])('%s is not refused (whole words only)', (name) => {
    expect(productionWord(name)).toBeUndefined();
  });

  it('refuses a production-looking context or cluster with an explanation, unless forced', () => {
    expect(() => assertNotProduction('eks-prod', 'eks', false)).toThrow(/refusing kubeconfig context "eks-prod": the word "prod".*--force/);
    expect(() => assertNotProduction('admin@test', 'live-eu', false)).toThrow(/refusing kubeconfig cluster "live-eu"/);
    expect(() => assertNotProduction('eks-prod', 'eks', true)).not.toThrow();
    expect(() => assertNotProduction('kind-test', undefined, false)).not.toThrow();
  });
});
