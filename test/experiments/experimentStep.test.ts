// Canary `experiment` steps, worked through the whole run: the Rollout creates the Experiment
// (rollout/experiment.go GetExperimentFromTemplate, reconcileExperiments), the experiment
// controller runs its ReplicaSets and AnalysisRuns (experiments/experiment.go), and the step
// completes when the Experiment is Successful (rollout/canary.go completedCurrentCanaryStep);
// a Failed one aborts the rollout, an Inconclusive one pauses it.
import { describe, expect, it } from 'vitest';
import { analysisTemplateYaml, events, ofType, podsAt, reasons, rolloutYaml, run, serviceYaml, statusAt } from '../helpers/sim.js';

const passing = analysisTemplateYaml('compare', [{ name: 'error-ratio', query: 'vector(0)', fields: 'interval: 1m\ncount: 3\nsuccessCondition: result[0] < 0.05' }]);
const failing = analysisTemplateYaml('compare', [{ name: 'error-ratio', query: 'vector(1)', fields: 'interval: 1m\ncount: 3\nsuccessCondition: result[0] < 0.05' }]);
const inconclusive = analysisTemplateYaml('compare', [
  { name: 'error-ratio', query: 'vector(0.5)', fields: 'successCondition: result[0] < 0.05\nfailureCondition: result[0] > 0.9' },
]);

const rollout = (extra = ''): string =>
  rolloutYaml({
    replicas: 10,
    canary: `
steps:
  - setWeight: 20
  - experiment:
      duration: 5m${extra}
      templates:
        - {name: baseline, specRef: stable, replicas: 1}
        - {name: canary, specRef: canary, replicas: 1}
      analyses:
        - {name: compare, templateName: compare}
  - setWeight: 50`,
  });

function experimentEvents(r: ReturnType<typeof run>): { t: number; reason: string; message: string }[] {
  return ofType(r, 'event')
    .filter((e) => String(e.object).startsWith('Experiment/'))
    .map((e) => ({ t: e.t, reason: String(e.reason), message: String(e.message) }));
}

describe('replicas 10, setWeight 20, then experiment {5m, baseline (stable) 1, canary (canary) 1, analysis compare}', () => {
  const r = run([rollout(), passing], { untilMs: 15 * 60_000, startupMs: 1000 });
  const created = events(r).find((e) => e.reason === 'ExperimentCreated')!;
  const name = /'(.+)'/.exec(created.message)![1]!;
  const stepCompleted = events(r).find((e) => e.message === 'Rollout step 2/3 completed (experiment)')!;
  const setWeightDone = events(r).find((e) => e.message === 'Rollout step 1/3 completed (setWeight: 20)')!;
  const rsOf = (suffix: string): { podTemplateHash: string } => ofType(r, 'replicaSet').find((e) => e.replicaSet === `${name}-${suffix}`) as never;
  const rolloutRS = ofType(r, 'replicaSet').filter((e) => !String(e.replicaSet).startsWith(name));

  it('creates the Experiment <rollout>-<podHash>-<revision>-<stepIndex> once the setWeight step completed', () => {
    const hash = String(rolloutRS[1]!.podTemplateHash);
    expect(name).toBe(`demo-${hash}-2-1`);
    expect(created.t).toBe(setWeightDone.t);
  });

  it('runs one ReplicaSet per template, <experiment>-<template>, cut from the stable and canary ReplicaSets (same pod-template hash)', () => {
    expect(rsOf('baseline').podTemplateHash).toBe(rolloutRS[0]!.podTemplateHash);
    expect(rsOf('canary').podTemplateHash).toBe(rolloutRS[1]!.podTemplateHash);
    const pods = podsAt(r, created.t + 30_000);
    expect(pods.get(`${name}-baseline`)).toBe(1);
    expect(pods.get(`${name}-canary`)).toBe(1);
    // The rollout's own ReplicaSets are untouched: 8 stable, 2 canary.
    expect(pods.get(String(rolloutRS[0]!.replicaSet))).toBe(8);
    expect(pods.get(String(rolloutRS[1]!.replicaSet))).toBe(2);
  });

  it('creates the ReplicaSets at 0 and scales them in the next reconcile; Pending → Running once every template is available', () => {
    const ev = experimentEvents(r);
    expect(ev.slice(0, 6).map((e) => e.reason)).toEqual([
      'TemplateProgressing',
      'TemplateProgressing',
      'ExperimentPending',
      'ScalingReplicaSet',
      'ScalingReplicaSet',
      'TemplateRunning',
    ]);
    expect(ev[3]!.message).toBe(`Scaled up ReplicaSet ${name}-baseline from 0 to 1`);
    const running = ev.find((e) => e.reason === 'ExperimentRunning')!;
    expect(running.message).toBe('Experiment transitioned from Pending -> Running');
    // Pods take 1 s to become ready.
    expect(running.t).toBe(created.t + 1000);
  });

  it('starts the AnalysisRun <experiment>-<analysis> only once the experiment is available', () => {
    const ar = r.analysisRuns.find((a) => a.name === `${name}-compare`)!;
    expect(ar.type).toBe('Experiment');
    expect(ar.phase).toBe('Successful');
    expect(ar.measurements).toHaveLength(3);
    const running = experimentEvents(r).find((e) => e.reason === 'ExperimentRunning')!;
    expect(ar.measurements[0]!.t).toBe(running.t);
  });

  it('is Successful just after availableAt + 5m, and the step completes in that instant (index 1 → 2)', () => {
    const running = experimentEvents(r).find((e) => e.reason === 'ExperimentRunning')!;
    const availableAt = Math.floor(running.t / 1000) * 1000;
    const successful = experimentEvents(r).find((e) => e.reason === 'ExperimentSuccessful')!;
    expect(successful.t).toBe(availableAt + 5 * 60_000 + 1);
    expect(stepCompleted.t).toBe(successful.t);
    expect(statusAt(r, stepCompleted.t - 1)!.step).toBe(1);
    expect(statusAt(r, stepCompleted.t)!.step).toBe(2);
    expect(r.outcome).toBe('promoted');
  });

  it('scales the experiment ReplicaSets to 0 scaleDownDelaySeconds (30 s) after it finished', () => {
    const successful = experimentEvents(r).find((e) => e.reason === 'ExperimentSuccessful')!;
    const downs = experimentEvents(r).filter((e) => e.reason === 'ScalingReplicaSet' && e.message.endsWith('from 1 to 0'));
    expect(downs.map((e) => e.t)).toEqual([Math.floor(successful.t / 1000) * 1000 + 30_000, Math.floor(successful.t / 1000) * 1000 + 30_000]);
  });

  it('summarises the experiment in the run result', () => {
    const running = experimentEvents(r).find((e) => e.reason === 'ExperimentRunning')!;
    expect(r.experiments).toEqual([{ name, owner: 'demo', phase: 'Successful', message: '', availableAt: Math.floor(running.t / 1000) * 1000 }]);
  });

  it('suspends the progress deadline during the experiment step (isIndefiniteStep)', () => {
    expect(reasons(r)).not.toContain('RolloutAborted');
    expect(r.trace.filter((e) => e.type === 'status' && String(e.message).startsWith('ProgressDeadlineExceeded'))).toHaveLength(0);
  });
});

describe('a failing analysis fails the experiment, which aborts the rollout', () => {
  const r = run([rollout(), failing], { untilMs: 10 * 60_000, startupMs: 1000 });
  const name = /'(.+)'/.exec(events(r).find((e) => e.reason === 'ExperimentCreated')!.message)![1]!;

  it('Experiment Failed with the analysis message; RolloutAborted with the upstream message in the same instant', () => {
    const failed = experimentEvents(r).find((e) => e.reason === 'ExperimentFailed')!;
    expect(failed.message).toBe('Experiment transitioned from Running -> Failed');
    const aborted = events(r).find((e) => e.reason === 'RolloutAborted')!;
    expect(aborted.t).toBe(failed.t);
    expect(aborted.eventType).toBe('Warning');
    expect(aborted.message).toBe(
      'Rollout aborted update to revision 2: Experiment analysis phase is error/failed: Metric "error-ratio" assessed Failed due to failed (1) > failureLimit (0)',
    );
    expect(r.outcome).toBe('aborted');
    expect(r.finalStatus.phase).toBe('Degraded');
  });

  it('the AnalysisRun events are also sent to the Rollout (upstream #4009); a first measurement that fails goes straight to Failed', () => {
    const onRollout = ofType(r, 'event')
      .filter((e) => e.reason === 'AnalysisRunFailed' && e.object === 'Rollout/demo')
      .map((e) => ({ message: String(e.message), eventType: String(e.eventType) }));
    expect(onRollout).toHaveLength(1);
    expect(onRollout[0]!.message).toMatch(/^AnalysisRun 'compare' transitioned from Pending -> Failed: Metric "error-ratio" assessed Failed/);
    expect(onRollout[0]!.eventType).toBe('Warning');
  });

  it('the failed experiment scales its ReplicaSets down after scaleDownDelaySeconds; the canary is drained', () => {
    const failed = experimentEvents(r).find((e) => e.reason === 'ExperimentFailed')!;
    const downs = experimentEvents(r).filter((e) => e.reason === 'ScalingReplicaSet' && e.message.endsWith('from 1 to 0'));
    expect(downs).toHaveLength(2);
    expect(downs[0]!.t).toBe(Math.floor(failed.t / 1000) * 1000 + 30_000);
    const end = podsAt(r, 10 * 60_000);
    expect(end.get(`${name}-baseline`)).toBe(0);
    expect(end.get(`${name}-canary`)).toBe(0);
  });
});

describe('an inconclusive analysis makes the experiment Inconclusive, which pauses the rollout', () => {
  const r = run([rollout(), inconclusive], { untilMs: 4 * 60_000, startupMs: 1000 });
  it('pause condition InconclusiveExperiment, phase Paused, no abort', () => {
    expect(reasons(r)).toContain('ExperimentInconclusive');
    expect(reasons(r)).not.toContain('RolloutAborted');
    const paused = events(r).find((e) => e.reason === 'RolloutPaused')!;
    expect(paused.message).toBe('Rollout is paused (InconclusiveExperiment)');
    expect(r.outcome).toBe('paused');
    expect(r.finalStatus.message).toBe('InconclusiveExperiment');
  });

  it('creates the experiment again (<name>-1, -2, …) while paused: currentExperiment is not kept for an Inconclusive one', () => {
    // rollout/experiment.go reconcileExperiments calls SetCurrentExperiment only for unfinished
    // experiments and returns early only for an InconclusiveAnalysisRun pause, so the next
    // reconcile finds no current experiment and creates one (createExperimentWithCollisionHandling).
    const created = events(r).filter((e) => e.reason === 'ExperimentCreated').map((e) => e.message);
    const first = /'(.+)'/.exec(created[0]!)![1]!;
    expect(created[1]).toBe(`Created Experiment '${first}-1'`);
    expect(created[2]).toBe(`Created Experiment '${first}-2'`);
  });
});

describe('an abort during the experiment terminates it', () => {
  const background = analysisTemplateYaml('bg', [{ name: 'fails-later', query: 'vector(1)', fields: 'initialDelay: 2m\nsuccessCondition: result[0] < 0' }]);
  const r = run(
    [
      rolloutYaml({
        replicas: 10,
        canary: `
analysis:
  templates: [{templateName: bg}]
steps:
  - setWeight: 20
  - experiment:
      duration: 10m
      templates:
        - {name: canary, specRef: canary, replicas: 2}`,
      }),
      background,
    ],
    { untilMs: 10 * 60_000, startupMs: 1000 },
  );
  it('the Rollout patches spec.terminate; the experiment finishes and scales down 30 s later', () => {
    const aborted = events(r).find((e) => e.reason === 'RolloutAborted')!;
    expect(aborted.message).toMatch(/Background analysis phase error\/failed/);
    const ev = experimentEvents(r);
    const done = ev.find((e) => e.reason === 'ExperimentSuccessful')!;
    // Terminated: templates report Successful, so does the experiment (experiments/experiment.go reconcileTemplate).
    expect(done.t).toBe(aborted.t);
    const down = ev.find((e) => e.reason === 'ScalingReplicaSet' && e.message.endsWith('from 2 to 0'))!;
    expect(down.t).toBe(Math.floor(aborted.t / 1000) * 1000 + 30_000);
  });
});

describe('experiment pods serve traffic through any Service whose selector their labels match', () => {
  // Without traffic routing the entry Service selects app=demo: the experiment's pods carry the
  // same labels as the Rollout's pods, so they take their share (1 of 12 ready pods each).
  const r = run([rollout(), passing], { untilMs: 6 * 60_000, startupMs: 1000, rps: 120 });
  it('each experiment ReplicaSet served requests while it ran', () => {
    const byVersion = Object.entries(r.requests.byVersion);
    const experimentRows = byVersion.filter(([k]) => k.includes('-baseline)') || k.includes('-canary)'));
    expect(experimentRows).toHaveLength(2);
    for (const [, v] of experimentRows) expect(v.total).toBeGreaterThan(0);
  });
});

describe('weighted experiment templates with Istio traffic routing (calculateWeightDestinationsFromExperiment)', () => {
  // replicas 10, setWeight 20, experiment 2m with baseline and canary at weight 5 each: while the
  // experiment is Running the router sends 20% to the canary Service, 5% to each experiment
  // Service and 70% to the stable Service; status.canary.weights.stable = 100 − 20 − 5 − 5.
  const r = run(
    [
      rolloutYaml({
        replicas: 10,
        canary: `
canaryService: demo-canary
stableService: demo-stable
trafficRouting:
  istio:
    virtualService: {name: demo, routes: [primary]}
steps:
  - setWeight: 20
  - experiment:
      duration: 2m
      templates:
        - {name: baseline, specRef: stable, replicas: 1, weight: 5}
        - {name: canary, specRef: canary, replicas: 1, weight: 5}
  - setWeight: 50`,
      }).replace('          image: app:v1', '          image: app:v1\n          ports: [{containerPort: 8080}]'),
      serviceYaml('demo-canary'),
      serviceYaml('demo-stable'),
    ],
    { untilMs: 6 * 60_000, rps: 100, startupMs: 1000 },
  );
  const name = /'(.+)'/.exec(events(r).find((e) => e.reason === 'ExperimentCreated')!.message)![1]!;
  const weightEvents = events(r).filter((e) => e.reason === 'TrafficWeightUpdated');

  it('adds the experiment Services as destinations once the experiment is Running, taking their weight from stable', () => {
    const running = experimentEvents(r).find((e) => e.reason === 'ExperimentRunning')!;
    const added = weightEvents.find((e) => e.message.includes('additional: [{'))!;
    expect(added.t).toBe(running.t);
    expect(added.message).toMatch(new RegExp(`^Traffic weight updated additional: \\[\\{5 ${name}-baseline \\w+\\} \\{5 ${name}-canary \\w+\\}\\]$`));
    const status = ofType(r, 'status').find((e) => e.t === running.t && e.weights !== null)!;
    expect(status.weights).toEqual({ canary: 20, stable: 70 });
    const router = ofType(r, 'router').find((e) => e.additional !== undefined)!;
    expect(router.additional).toEqual([
      { serviceName: `${name}-baseline`, weight: 5 },
      { serviceName: `${name}-canary`, weight: 5 },
    ]);
  });

  it('removes them when the experiment is no longer Running (the step completes in the same instant)', () => {
    const done = experimentEvents(r).find((e) => e.reason === 'ExperimentSuccessful')!;
    const removed = weightEvents.find((e) => e.message === 'Traffic weight updated additional: []')!;
    expect(removed.t).toBe(done.t);
    expect(events(r).find((e) => e.message === 'Rollout step 2/3 completed (experiment)')!.t).toBe(done.t);
    expect(r.outcome).toBe('promoted');
  });

  it('the experiment pods served traffic through their Services', () => {
    const rows = Object.entries(r.requests.byVersion).filter(([k]) => k.includes(name));
    expect(rows).toHaveLength(2);
    for (const [, v] of rows) expect(v.total).toBeGreaterThan(0);
  });
});

describe('requiredForCompletion', () => {
  const quick = analysisTemplateYaml('quick', [{ name: 'q', query: 'vector(0)', fields: 'successCondition: result[0] < 1' }]);
  const slow = analysisTemplateYaml('slow', [{ name: 's', query: 'vector(0)', fields: 'interval: 1m\ncount: 3\nsuccessCondition: result[0] < 1' }]);
  const withAnalyses = (analyses: string): ReturnType<typeof run> =>
    run(
      [
        rolloutYaml({
          replicas: 4,
          canary: `
steps:
  - setWeight: 25
  - experiment:
      templates:
        - {name: canary, specRef: canary, replicas: 1}
      analyses:
${analyses}
  - setWeight: 50`,
        }),
        quick,
        slow,
      ],
      { untilMs: 10 * 60_000, startupMs: 1000 },
    );

  it('without a duration, the experiment succeeds as soon as every required analysis is Successful', () => {
    const r = withAnalyses('        - {name: slow, templateName: slow, requiredForCompletion: true}');
    const done = ofType(r, 'experiment').find((e) => e.phase === 'Successful')!;
    expect(done.message).toBe('Required AnalysisRuns completed');
    const ar = r.analysisRuns.find((a) => a.name.endsWith('-slow'))!;
    expect(done.t).toBe(ar.measurements.at(-1)!.t);
    expect(r.outcome).toBe('promoted');
  });

  it('with another analysis still running, the experiment stays Running: the terminated run is never read back (as upstream)', () => {
    // experiments/experiment.go reconcileAnalysisRun returns before copying the run's phase while
    // the experiment is terminating, and assessAnalysisRuns then still sees Running
    // (experiments/analysisrun_test.go TestAssessAnalysisRunStatusesAfterTemplateSuccess, "running,successful").
    const r = withAnalyses('        - {name: quick, templateName: quick, requiredForCompletion: true}\n        - {name: slow, templateName: slow}');
    expect(ofType(r, 'experiment').at(-1)!.phase).toBe('Running');
    expect(reasons(r)).toContain('AnalysisRunTerminating');
    expect(r.outcome).toBe('progressing');
    expect(r.finalStepIndex).toBe(1);
  });
});

describe('template metadata and dryRun', () => {
  const r = run(
    [
      rolloutYaml({
        replicas: 10,
        canary: `
steps:
  - setWeight: 20
  - experiment:
      duration: 2m
      dryRun: [{metricName: error-ratio}]
      templates:
        - {name: canary, specRef: canary, replicas: 1, metadata: {labels: {variant: exp}}}
      analyses:
        - {name: compare, templateName: compare}`,
      }),
      failing,
    ],
    { untilMs: 6 * 60_000, startupMs: 1000 },
  );
  const name = /'(.+)'/.exec(events(r).find((e) => e.reason === 'ExperimentCreated')!.message)![1]!;

  it('extra labels give the template its own pod-template hash (so Services of the Rollout no longer select its pods)', () => {
    const rss = ofType(r, 'replicaSet');
    const canary = rss.find((e) => e.replicaSet === `${name}-canary`)!;
    expect(canary.podTemplateHash).not.toBe(rss[1]!.podTemplateHash);
    expect(canary.podTemplateHash).not.toBe(rss[0]!.podTemplateHash);
  });

  it('a dry-run metric that fails does not fail the experiment (the step dryRun reaches its AnalysisRuns)', () => {
    const ar = r.analysisRuns.find((a) => a.name === `${name}-compare`)!;
    expect(ar.measurements.every((m) => m.phase === 'Failed')).toBe(true);
    expect(ar.phase).toBe('Successful');
    expect(reasons(r)).not.toContain('RolloutAborted');
    expect(r.outcome).toBe('promoted');
  });
});

describe('experiment analysis arguments from the Rollout (BuildArgumentsForRolloutAnalysisRun)', () => {
  const who = `apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: who, namespace: default}
spec:
  args: [{name: rollout}, {name: canary-hash}, {name: canary-rs}]
  metrics:
    - name: check
      successCondition: "'{{args.rollout}}' == 'demo' && '{{args.canary-rs}}' endsWith '-canary' && len('{{args.canary-hash}}') == 10"
      provider: {prometheus: {query: "vector(1)"}}
`;
  const r = run(
    [
      rolloutYaml({
        replicas: 2,
        canary: `
steps:
  - setWeight: 50
  - experiment:
      templates: [{name: canary, specRef: canary}]
      analyses:
        - name: who
          templateName: who
          requiredForCompletion: true
          args:
            - {name: rollout, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
            - {name: canary-hash, valueFrom: {podTemplateHashValue: Latest}}
            - {name: canary-rs, value: "{{templates.canary.replicaset.name}}"}`,
      }),
      who,
    ],
    { untilMs: 4 * 60_000, startupMs: 1000 },
  );
  it('resolves fieldRef, podTemplateHashValue and {{templates.…}} placeholders', () => {
    const ar = r.analysisRuns.find((a) => a.type === 'Experiment')!;
    expect(ar.phase).toBe('Successful');
    expect(r.outcome).toBe('promoted');
  });
});
