// Experiment conditions: a port of argo-rollouts v1.9.1 experiments/conditions.go
// (calculateExperimentConditions) and utils/conditions/experiments.go (SetExperimentCondition,
// ExperimentProgressing, ExperimentRunning and the message constants).
import { metaNow } from '../rollouts/status.js';
import { passedDurations } from './experimentUtil.js';
import type { ExperimentCondition, ExperimentStatus, SimExperiment } from './types.js';

const ExperimentProgressingMessage = (name: string): string => `Experiment "${name}" is progressing.`;
const ExperimentRunningMessage = (name: string): string => `Experiment "${name}" is running.`;
const ExperimentCompletedMessage = (name: string): string => `Experiment "${name}" has successfully ran and completed.`;

function newCondition(type: ExperimentCondition['type'], status: ExperimentCondition['status'], reason: string, message: string, nowMs: number): ExperimentCondition {
  const t = metaNow(nowMs);
  return { type, status, reason, message, lastUpdateTime: t, lastTransitionTime: t };
}

function getCondition(status: ExperimentStatus, type: ExperimentCondition['type']): ExperimentCondition | undefined {
  return status.conditions.find((c) => c.type === type);
}

function removeCondition(status: ExperimentStatus, type: ExperimentCondition['type']): void {
  status.conditions = status.conditions.filter((c) => c.type !== type);
}

/** `SetExperimentCondition`: unchanged status and reason ⇒ no-op; same status ⇒ keep lastTransitionTime. */
function setCondition(status: ExperimentStatus, condition: ExperimentCondition): void {
  const current = getCondition(status, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return;
  const next = current && current.status === condition.status ? { ...condition, lastTransitionTime: current.lastTransitionTime } : condition;
  status.conditions = [...status.conditions.filter((c) => c.type !== condition.type), next];
}

/** `ExperimentProgressing`: any template's replica counters moved, or a template status appeared. */
function experimentProgressing(stored: ExperimentStatus, next: ExperimentStatus): boolean {
  if (stored.templateStatuses.length < next.templateStatuses.length) return true;
  for (const old of stored.templateStatuses) {
    const n = next.templateStatuses.find((t) => t.name === old.name);
    if (!n) continue;
    if (old.replicas !== n.replicas || old.updatedReplicas !== n.updatedReplicas || old.readyReplicas !== n.readyReplicas || old.availableReplicas !== n.availableReplicas) {
      return true;
    }
  }
  return false;
}

/** `calculateExperimentConditions` (the InvalidSpec condition never arises: invalid specs are load errors). */
export function calculateExperimentConditions(ex: SimExperiment, newStatus: ExperimentStatus, nowMs: number): void {
  if (newStatus.phase === 'Successful') {
    setCondition(newStatus, newCondition('Progressing', 'False', 'ExperimentCompleted', ExperimentCompletedMessage(ex.name), nowMs));
  } else if (experimentProgressing(ex.status, newStatus)) {
    let condition = newCondition('Progressing', 'True', 'ReplicaSetUpdated', ExperimentProgressingMessage(ex.name), nowMs);
    const current = getCondition(ex.status, 'Progressing');
    if (current) {
      if (current.status === 'True') condition = { ...condition, lastTransitionTime: current.lastTransitionTime };
      removeCondition(newStatus, 'Progressing');
    }
    setCondition(newStatus, condition);
  } else if (ex.status.availableAt !== undefined && !passedDurations(ex, ex.status, nowMs).passed) {
    // `ExperimentRunning` reads the stored experiment.
    setCondition(newStatus, newCondition('Progressing', 'True', 'NewReplicaSetAvailable', ExperimentRunningMessage(ex.name), nowMs));
  }
}
