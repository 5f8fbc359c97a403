// Fault kinds of the 'controlPlane' category (see types.ts and catalogue.ts): a traffic router that
// does not apply the weights the controller writes (or applies them late), and a restart of the
// Argo Rollouts controller process.
//
// Hook points: `TrafficRouter.addWeightGate` (a weight request may be dropped or deferred; the
// controller's status keeps the weight it asked for, as upstream where SetWeight succeeding is all
// it knows) and `RolloutController.stop/start` + `AnalysisController.stop/start` (the process
// dies: queues, delayed requeues and in-flight measurements are lost; on start the informers list
// everything again and every decision is re-derived from status and annotations).
import { Priority } from '../engine/kernel.js';
import { faultActed } from './metrics.js';
import { faultActive, type FaultKind } from './types.js';

const routerIgnoresWeight: FaultKind = {
  kind: 'routerIgnoresWeight',
  category: 'controlPlane',
  description:
    'During the window the traffic router drops every weight change (a GitOps tool reverting the VirtualService, a webhook rejecting it): the controller believes it set the weight (status, events), traffic keeps the old split. The first write after the window — the next reconcile — applies the weight. No effect on a basic canary.',
  target: 'none',
  params: {},
  example: '{ at: 2m, for: 5m, kind: routerIgnoresWeight }',
  install(fault, world) {
    const router = world.router;
    if (!router) {
      world.kernel.schedule(fault.atMs, 0, `fault ${fault.index} inert`, () => faultActed(world, fault, { effect: 'none', reason: 'the rollout has no trafficRouting' }));
      return;
    }
    router.addWeightGate((request) => {
      if (!faultActive(fault, world.kernel.nowMs)) return false;
      faultActed(world, fault, { effect: 'weightIgnored', requested: request.weight, applied: router.canaryWeight });
      return true;
    });
  },
};

const routerDelaysWeight: FaultKind = {
  kind: 'routerDelaysWeight',
  category: 'controlPlane',
  description:
    'During the window each weight change reaches the traffic router `delay` late (a slow ingress/ALB controller): the controller has moved on, traffic follows later. A change requested after the window applies at once; a late one never overrides a newer one. No effect on a basic canary.',
  target: 'none',
  params: { delay: { type: 'duration', description: 'How late each weight change is applied.', min: 1 } },
  example: '{ at: 1m, kind: routerDelaysWeight, delay: 30s }',
  install(fault, world) {
    const router = world.router;
    if (!router) {
      world.kernel.schedule(fault.atMs, 0, `fault ${fault.index} inert`, () => faultActed(world, fault, { effect: 'none', reason: 'the rollout has no trafficRouting' }));
      return;
    }
    const delay = Number(fault.params.delay);
    // The weight already on its way: the controller re-writes the same weight every reconcile,
    // which is not a new change.
    let pending: { weight: number; atMs: number } | undefined;
    router.addWeightGate((request, apply) => {
      const now = world.kernel.nowMs;
      if (!faultActive(fault, now)) return false;
      if (pending && pending.weight === request.weight && pending.atMs >= now) return true;
      const atMs = now + delay;
      pending = { weight: request.weight, atMs };
      faultActed(world, fault, { effect: 'weightDelayed', requested: request.weight, applied: router.canaryWeight, appliesAt: atMs });
      world.kernel.schedule(atMs, Priority.world, `fault ${fault.index} applies weight ${request.weight}`, () => {
        if (pending?.atMs === atMs) pending = undefined;
        const before = router.canaryWeight;
        apply();
        faultActed(world, fault, { effect: 'weightApplied', weight: request.weight, from: before, to: router.canaryWeight });
      });
      return true;
    });
  },
};

const controllerRestart: FaultKind = {
  kind: 'controllerRestart',
  category: 'controlPlane',
  description:
    "At `at` the Argo Rollouts controller process restarts: its work queues, delayed requeues (pause expiry, scale-down deadlines) and any AnalysisRun measurement still waiting on a query are lost; nothing is reconciled for `downtime`; then the informers re-add the Rollout (event RolloutAddedToInformer) and its AnalysisRuns, and every decision is re-derived from status and annotations — a timed pause still ends at startTime + duration.",
  target: 'none',
  params: {
    downtime: { type: 'duration', description: 'How long the controller is down before the new process starts.', default: 0 },
    analysis: {
      type: 'boolean',
      description: 'Whether the AnalysisRun controller restarts too (it runs in the same process upstream).',
      default: true,
    },
  },
  example: '{ at: 4m, kind: controllerRestart, downtime: 30s }',
  install(fault, world) {
    const downtime = Number(fault.params.downtime);
    const analysis = fault.params.analysis === true;
    world.kernel.schedule(fault.atMs, Priority.world, `fault ${fault.index} controller stops`, () => {
      world.controller.stop();
      world.experiments?.stop();
      const lost = analysis ? world.analysis.stop() : [];
      faultActed(world, fault, { effect: 'controllerStopped', downtimeMs: downtime, lostInFlightAnalysisRuns: lost.map((r) => r.name) });
    });
    // The new process lists Rollouts and AnalysisRuns as its informers start.
    world.kernel.schedule(fault.atMs + downtime, Priority.world, `fault ${fault.index} controller starts`, () => {
      if (analysis) world.analysis.start();
      world.experiments?.start();
      world.controller.start();
      // An overlapping restart may still hold the process down.
      faultActed(world, fault, { effect: world.controller.running ? 'controllerStarted' : 'controllerStillDown' });
    });
  },
};

export const controlPlaneFaults: readonly FaultKind[] = [routerIgnoresWeight, routerDelaysWeight, controllerRestart];
