// Loading blue-green Rollouts: the BlueGreenStrategy schema (every v1.9.1 field simulated or in
// FIELD_SUPPORT), upstream's validation (validation.go ValidateRolloutStrategyBlueGreen,
// validation_references.go) with file and line, and the blue-green phase rules
// (rolloututil.go CalculateRolloutPhase).
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../sim/diagnostics.js';
import { InputError } from '../../sim/diagnostics.js';
import { loadManifests } from '../../sim/manifests/load.js';
import { FIELD_SUPPORT, rolloutSchema, type ObjectSchema } from '../../sim/manifests/schema.js';
import { calculateBlueGreenRolloutPhase } from '../../sim/rollouts/blueGreenStatus.js';
import { emptyBlueGreenStatus, emptyRolloutStatus, type RolloutStatus } from '../../sim/rollouts/status.js';
import { blueGreenRolloutYaml, SERVICES } from '../helpers/blueGreen.js';
import { analysisTemplateYaml } from '../helpers/sim.js';

function load(docs: readonly string[]): ReturnType<typeof loadManifests> {
  return loadManifests(docs.map((text, i) => ({ name: `bg-${i}.yaml`, text })));
}

function errorsOf(docs: readonly string[]): readonly Diagnostic[] {
  try {
    load(docs);
  } catch (e) {
    if (e instanceof InputError) return e.diagnostics;
    throw e;
  }
  throw new Error('expected the load to fail');
}

/** Line of the first line of `text` containing `needle` (1-based). */
function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
}

describe('BlueGreenStrategy fields', () => {
  const strategy = ((rolloutSchema.fields['spec'] as ObjectSchema).fields['strategy'] as ObjectSchema).fields['blueGreen'] as ObjectSchema;
  // pkg/apis/rollouts/v1alpha1/types.go BlueGreenStrategy, v1.9.1
  const UPSTREAM = [
    'activeService',
    'previewService',
    'previewReplicaCount',
    'autoPromotionEnabled',
    'autoPromotionSeconds',
    'maxUnavailable',
    'scaleDownDelaySeconds',
    'scaleDownDelayRevisionLimit',
    'prePromotionAnalysis',
    'antiAffinity',
    'postPromotionAnalysis',
    'previewMetadata',
    'activeMetadata',
    'abortScaleDownDelaySeconds',
  ];

  it('the schema lists every upstream field, and the strategy itself is no longer refused', () => {
    expect(Object.keys(strategy.fields).sort()).toEqual([...UPSTREAM].sort());
    expect(FIELD_SUPPORT.has('Rollout spec.strategy.blueGreen')).toBe(false);
  });

  it('fields rehearse does not model are in FIELD_SUPPORT with a note', () => {
    const listed = UPSTREAM.filter((f) => FIELD_SUPPORT.has(`Rollout spec.strategy.blueGreen.${f}`));
    expect(listed.sort()).toEqual(['activeMetadata', 'antiAffinity', 'previewMetadata']);
    expect(FIELD_SUPPORT.get('Rollout spec.strategy.blueGreen.antiAffinity')!.support).toBe('noEffect');
  });

  it('a refused field is an error naming file, line and field; antiAffinity is accepted', () => {
    const text = blueGreenRolloutYaml({ blueGreen: 'activeService: demo-active\npreviewMetadata: {labels: {role: preview}}' });
    const errors = errorsOf([text, ...SERVICES]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: 'bg-0.yaml', line: lineOf(text, 'previewMetadata'), field: 'spec.strategy.blueGreen.previewMetadata' });
    expect(errors[0]!.message).toMatch(/`spec.strategy.blueGreen.previewMetadata` is not simulated by rehearse yet \(extra labels\/annotations on preview pods\)/);
    const ok = load([blueGreenRolloutYaml({ blueGreen: 'activeService: demo-active\nantiAffinity: {preferredDuringSchedulingIgnoredDuringExecution: {weight: 50}}' }), ...SERVICES]);
    expect(ok.rollouts[0]!.spec.strategy.blueGreen!.activeService).toBe('demo-active');
  });

  it('carries every simulated field into the model, absent ones undefined (defaults are the model\'s job)', () => {
    const set = load([
      blueGreenRolloutYaml({
        blueGreen: `activeService: demo-active
previewService: demo-preview
previewReplicaCount: 1
autoPromotionEnabled: false
autoPromotionSeconds: 30
scaleDownDelaySeconds: 60
scaleDownDelayRevisionLimit: 2
abortScaleDownDelaySeconds: 10
maxUnavailable: 50%
prePromotionAnalysis: {templates: [{templateName: t}], measurementRetention: [{metricName: m, limit: 3}]}
postPromotionAnalysis: {templates: [{templateName: t}], args: [{name: a, value: "1"}]}`,
      }),
      ...SERVICES,
      analysisTemplateYaml('t', [{ name: 'm', query: 'vector(1)' }]).replace('  metrics:', '  args: [{name: a, value: "0"}]\n  metrics:'),
    ]);
    const bg = set.rollouts[0]!.spec.strategy.blueGreen!;
    expect(bg).toMatchObject({
      activeService: 'demo-active',
      previewService: 'demo-preview',
      previewReplicaCount: 1,
      autoPromotionEnabled: false,
      autoPromotionSeconds: 30,
      scaleDownDelaySeconds: 60,
      scaleDownDelayRevisionLimit: 2,
      abortScaleDownDelaySeconds: 10,
      maxUnavailable: '50%',
    });
    expect(bg.prePromotionAnalysis!.measurementRetention).toEqual([{ metricName: 'm', limit: 3 }]);
    expect(bg.prePromotionAnalysis!.templates).toEqual([{ templateName: 't', clusterScope: false }]);
    expect(bg.postPromotionAnalysis!.args).toEqual([{ name: 'a', value: '1', valueFrom: undefined }]);
    const defaults = load([blueGreenRolloutYaml({ blueGreen: 'activeService: demo-active' }), ...SERVICES]).rollouts[0]!.spec.strategy.blueGreen!;
    expect(defaults).toMatchObject({ previewService: undefined, autoPromotionEnabled: undefined, autoPromotionSeconds: 0, scaleDownDelaySeconds: undefined });
  });
});

describe('validation errors with file and line', () => {
  it('activeService missing', () => {
    const text = blueGreenRolloutYaml({ blueGreen: 'previewService: demo-preview' });
    const errors = errorsOf([text, ...SERVICES]);
    expect(errors[0]).toMatchObject({ file: 'bg-0.yaml', field: 'spec.strategy.blueGreen.activeService', line: lineOf(text, 'previewService: demo-preview') });
    expect(errors[0]!.message).toMatch(/needs spec\.strategy\.blueGreen\.activeService/);
  });

  it('previewService equal to activeService (DuplicatedServicesBlueGreenMessage)', () => {
    const text = blueGreenRolloutYaml({ blueGreen: 'activeService: demo-active\npreviewService: demo-active' });
    const errors = errorsOf([text, ...SERVICES]);
    expect(errors).toEqual([
      expect.objectContaining({
        field: 'spec.strategy.blueGreen.previewService',
        line: lineOf(text, 'previewService'),
        message: 'This rollout uses the same service for the active and preview services, but two different services are required.',
      }),
    ]);
  });

  it('a Service not among the manifests is an error for blue-green, with a suggestion', () => {
    const text = blueGreenRolloutYaml({ blueGreen: 'activeService: demo-activ\npreviewService: demo-preview' });
    const errors = errorsOf([text, ...SERVICES]);
    expect(errors).toEqual([expect.objectContaining({ field: 'spec.strategy.blueGreen.activeService', line: lineOf(text, 'activeService') })]);
    expect(errors[0]!.message).toBe(
      'Service "demo-activ" not found: no Service with that name is in the manifests given to rehearse, and a blue-green Rollout cannot be reconciled without it. Did you mean "demo-active"?',
    );
  });

  it('scaleDownDelayRevisionLimit above revisionHistoryLimit', () => {
    const text = blueGreenRolloutYaml({ blueGreen: 'activeService: demo-active\nscaleDownDelayRevisionLimit: 3', extraSpec: 'revisionHistoryLimit: 2' });
    const errors = errorsOf([text, ...SERVICES]);
    expect(errors).toEqual([expect.objectContaining({ field: 'spec.strategy.blueGreen.scaleDownDelayRevisionLimit', line: lineOf(text, 'scaleDownDelayRevisionLimit') })]);
    expect(errors[0]!.message).toMatch(/^This rollout's revision history limit can not be smaller than the rollout's scale down limit: scaleDownDelayRevisionLimit 3 > revisionHistoryLimit 2\.$/);
  });

  it('pre-/post-promotion templates must exist and must not run unbounded', () => {
    const unbounded = analysisTemplateYaml('forever', [{ name: 'm', query: 'vector(1)', fields: 'interval: 1m' }]);
    const text = blueGreenRolloutYaml({
      blueGreen: 'activeService: demo-active\nprePromotionAnalysis: {templates: [{templateName: forever}]}\npostPromotionAnalysis: {templates: [{templateName: missing}]}',
    });
    const errors = errorsOf([text, ...SERVICES, unbounded]);
    expect(errors.map((e) => e.field)).toEqual(['spec.strategy.blueGreen.prePromotionAnalysis.templates', 'spec.strategy.blueGreen.postPromotionAnalysis.templates[0].templateName']);
    expect(errors[1]!.message).toMatch(/^AnalysisTemplate "missing" not found/);
  });

  it('a negative previewReplicaCount', () => {
    const errors = errorsOf([blueGreenRolloutYaml({ blueGreen: 'activeService: demo-active\npreviewReplicaCount: -1' }), ...SERVICES]);
    expect(errors).toEqual([expect.objectContaining({ field: 'spec.strategy.blueGreen.previewReplicaCount', message: 'must be greater than or equal to 0, got -1.' })]);
  });
});

describe('calculateBlueGreenRolloutPhase (rolloututil.go CalculateRolloutPhase, blue-green rules)', () => {
  const spec = { replicas: 3, paused: false, hasPreviewService: true, hasPostPromotionAnalysis: true };
  const status = (s: Partial<RolloutStatus>, bg: Partial<NonNullable<RolloutStatus['blueGreen']>> = {}): RolloutStatus => ({
    ...emptyRolloutStatus(),
    updatedReplicas: 3,
    availableReplicas: 3,
    currentPodHash: 'new',
    stableRS: 'old',
    ...s,
    blueGreen: { ...emptyBlueGreenStatus(), activeSelector: 'old', ...bg },
  });

  it('active selector not on the new hash ⇒ Progressing, "active service cutover pending"', () => {
    expect(calculateBlueGreenRolloutPhase(spec, status({}))).toEqual({ phase: 'Progressing', message: 'active service cutover pending' });
  });

  it('switched, post-promotion analysis not completed ⇒ "waiting for analysis to complete"', () => {
    expect(calculateBlueGreenRolloutPhase(spec, status({}, { activeSelector: 'new' }))).toEqual({ phase: 'Progressing', message: 'waiting for analysis to complete' });
    const done = status({}, { activeSelector: 'new', postPromotionAnalysisRunStatus: { name: 'x', status: 'Successful', message: '' } });
    expect(calculateBlueGreenRolloutPhase(spec, done)).toEqual({ phase: 'Progressing', message: 'waiting for post-promotion verification to complete' });
  });

  it('paused before replicas; fully promoted ⇒ Healthy', () => {
    expect(calculateBlueGreenRolloutPhase(spec, status({ updatedReplicas: 1, pauseConditions: [{ reason: 'BlueGreenPause', startTime: 0 }] }))).toEqual({ phase: 'Paused', message: 'BlueGreenPause' });
    expect(calculateBlueGreenRolloutPhase(spec, status({ updatedReplicas: 1 }))).toEqual({ phase: 'Progressing', message: 'more replicas need to be updated' });
    expect(calculateBlueGreenRolloutPhase(spec, status({ stableRS: 'new' }, { activeSelector: 'new' }))).toEqual({ phase: 'Healthy', message: '' });
  });
});
