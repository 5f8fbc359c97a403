// Fixtures for blue-green tests: a blue-green Rollout manifest, its Services, and operator actions
// applied through the model API (RunOptions.onWorld) exactly as the kubectl plugin patches them:
// `promote` clears status.pauseConditions (and unpauses spec), `promote --full` sets
// status.promoteFull, `abort` sets status.abort, `retry` clears it
// (pkg/kubectl-argo-rollouts/cmd/{promote,abort,retry}).
import type { RunOptions } from '../../sim/world.js';
import { cloneStatus } from '../../sim/rollouts/status.js';
import { serviceYaml, V1 } from './sim.js';

function indent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text
    .replace(/^\n+|\s+$/g, '')
    .split('\n')
    .map((l) => (l.trim() === '' ? '' : pad + l))
    .join('\n');
}

export interface BlueGreenFixture {
  readonly name?: string;
  readonly replicas?: number;
  /** YAML lines of `spec.strategy.blueGreen` (without the `blueGreen:` key). */
  readonly blueGreen: string;
  readonly extraSpec?: string;
}

/** A blue-green Rollout with one container `app` running `app:v1`. */
export function blueGreenRolloutYaml(f: BlueGreenFixture): string {
  const name = f.name ?? 'demo';
  return `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: ${name}
  namespace: default
spec:
${f.replicas === undefined ? '' : `  replicas: ${f.replicas}\n`}${f.extraSpec ? indent(f.extraSpec, 2) + '\n' : ''}  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: app
          image: ${V1}
  strategy:
    blueGreen:
${indent(f.blueGreen, 6)}
`;
}

/** The active and preview Services `demo-active` and `demo-preview`. */
export const SERVICES = [serviceYaml('demo-active'), serviceYaml('demo-preview')];

export type OperatorAction = 'promote' | 'promoteFull' | 'abort' | 'retry' | 'pause';

/** Operator actions at virtual times, as the kubectl plugin would patch the Rollout. */
export function operator(actions: readonly { readonly atMs: number; readonly action: OperatorAction }[]): RunOptions['onWorld'] {
  return ({ kernel, controller, rollout }) => {
    for (const { atMs, action } of actions) {
      kernel.schedule(atMs, 0, `operator ${action}`, () => {
        const from = rollout.status;
        const to = cloneStatus(from);
        if (action === 'promote' || action === 'promoteFull') {
          if (rollout.paused) rollout.updateSpec({ paused: false });
          if (action === 'promote') to.pauseConditions = [];
          else if (from.currentPodHash !== from.stableRS) to.promoteFull = true;
        }
        if (action === 'pause') rollout.updateSpec({ paused: true });
        if (action === 'abort') to.abort = true;
        if (action === 'retry') to.abort = false;
        if (!controller.patchStatus(from, to)) controller.enqueue();
      });
    }
  };
}
