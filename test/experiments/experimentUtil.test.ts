// utils/experiment/experiment.go helpers: termination, required analyses, durations, replica
// counts and the status rankings (utils/analysis/helpers.go IsWorse).
import { describe, expect, it } from 'vitest';
import {
  analysisIsWorse,
  calculateTemplateReplicasCount,
  isTerminating,
  passedDurations,
  requiredAnalysisRunsSuccessful,
  templateIsWorse,
} from '../../sim/experiments/experimentUtil.js';
import { emptyExperimentStatus, SimExperiment, type ExperimentSpec, type ExperimentStatus } from '../../sim/experiments/types.js';

const template = { name: 'canary', replicas: 3, minReadySeconds: 0, selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: {}, annotations: {} }, containers: [], raw: {} }, service: undefined };
const analysis = (name: string, requiredForCompletion: boolean) => ({ name, templateName: 't', clusterScope: false, args: [], requiredForCompletion });

function experiment(spec: Partial<ExperimentSpec> = {}, status: Partial<ExperimentStatus> = {}): SimExperiment {
  const ex = new SimExperiment('ex', 'default', {}, undefined, {
    templates: [template],
    duration: undefined,
    progressDeadlineSeconds: undefined,
    terminate: false,
    analyses: [],
    scaleDownDelaySeconds: undefined,
    dryRun: [],
    measurementRetention: [],
    ...spec,
  }, 0);
  ex.status = { ...emptyExperimentStatus(), ...status };
  return ex;
}

describe('isTerminating', () => {
  it('on spec.terminate, a completed phase, a Failed/Error template, a Failed/Error/Inconclusive analysis, or all required analyses Successful', () => {
    expect(isTerminating(experiment())).toBe(false);
    expect(isTerminating(experiment({ terminate: true }))).toBe(true);
    expect(isTerminating(experiment({}, { phase: 'Successful' }))).toBe(true);
    const ts = { name: 'canary', replicas: 0, updatedReplicas: 0, readyReplicas: 0, availableReplicas: 0, message: '', lastTransitionTime: undefined, serviceName: '', podTemplateHash: '' };
    expect(isTerminating(experiment({}, { templateStatuses: [{ ...ts, status: 'Failed' }] }))).toBe(true);
    expect(isTerminating(experiment({}, { templateStatuses: [{ ...ts, status: 'Running' }] }))).toBe(false);
    const run = (phase: ExperimentStatus['phase']) => ({ name: 'a', analysisRun: 'ex-a', phase, message: '' });
    expect(isTerminating(experiment({ analyses: [analysis('a', false)] }, { analysisRuns: [run('Inconclusive')] }))).toBe(true);
    expect(isTerminating(experiment({ analyses: [analysis('a', false)] }, { analysisRuns: [run('Successful')] }))).toBe(false);
    expect(isTerminating(experiment({ analyses: [analysis('a', true)] }, { analysisRuns: [run('Successful')] }))).toBe(true);
  });
});

describe('requiredAnalysisRunsSuccessful', () => {
  it('needs at least one required analysis, all Successful', () => {
    const run = (name: string, phase: ExperimentStatus['phase']) => ({ name, analysisRun: `ex-${name}`, phase, message: '' });
    const ex = experiment({ analyses: [analysis('a', true), analysis('b', true), analysis('c', false)] });
    expect(requiredAnalysisRunsSuccessful(ex, { ...ex.status, analysisRuns: [run('a', 'Successful'), run('b', 'Running')] })).toBe(false);
    expect(requiredAnalysisRunsSuccessful(ex, { ...ex.status, analysisRuns: [run('a', 'Successful'), run('b', 'Successful'), run('c', 'Running')] })).toBe(true);
    const none = experiment({ analyses: [analysis('c', false)] });
    expect(requiredAnalysisRunsSuccessful(none, { ...none.status, analysisRuns: [run('c', 'Successful')] })).toBe(false);
  });
});

describe('passedDurations', () => {
  it('is strictly after availableAt + duration, with the remaining time', () => {
    const ex = experiment({ duration: '5m' }, { availableAt: 62_000 });
    expect(passedDurations(ex, ex.status, 362_000)).toEqual({ passed: false, remainingMs: 0 });
    expect(passedDurations(ex, ex.status, 362_001)).toEqual({ passed: true, remainingMs: -1 });
    expect(passedDurations(ex, ex.status, 62_000)).toEqual({ passed: false, remainingMs: 300_000 });
    expect(passedDurations(experiment(), emptyExperimentStatus(), 1e9).passed).toBe(false);
  });
});

describe('calculateTemplateReplicasCount', () => {
  it('is the template replicas (default 1) until the experiment terminates or the template completes', () => {
    expect(calculateTemplateReplicasCount(experiment(), emptyExperimentStatus(), template)).toBe(3);
    expect(calculateTemplateReplicasCount(experiment(), emptyExperimentStatus(), { ...template, replicas: undefined })).toBe(1);
    const terminated = experiment({ terminate: true });
    expect(calculateTemplateReplicasCount(terminated, terminated.status, template)).toBe(0);
  });
});

describe('rankings', () => {
  it('templates: Successful < Running < Progressing < Error < Failed; the empty status ranks as Successful', () => {
    expect(templateIsWorse('Running', 'Progressing')).toBe(true);
    expect(templateIsWorse('Error', 'Failed')).toBe(true);
    expect(templateIsWorse('Failed', 'Error')).toBe(false);
    expect(templateIsWorse('Successful', '')).toBe(false);
  });
  it('analyses: Successful < Running < Pending < Inconclusive < Error < Failed', () => {
    expect(analysisIsWorse('Running', 'Pending')).toBe(true);
    expect(analysisIsWorse('Inconclusive', 'Error')).toBe(true);
    expect(analysisIsWorse('Failed', 'Error')).toBe(false);
    expect(analysisIsWorse('Successful', '')).toBe(false);
  });
});
