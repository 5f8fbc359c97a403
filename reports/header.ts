// The few lines printed before a timeline: what is being rehearsed, against which manifests, in
// which world, with which seed — so a pasted output explains itself.
import type { ManifestSet } from '../sim/manifests/types.js';
import type { ScenarioSpec } from '../sim/scenario/types.js';
import type { RunResult } from '../sim/world.js';
import { formatDuration } from '../sim/world.js';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function renderHeader(scenario: ScenarioSpec, manifests: ManifestSet, r: RunResult, untilMs: number): string[] {
  const ro = manifests.rollouts[0]!;
  const canary = ro.spec.strategy.canary;
  const blueGreen = ro.spec.strategy.blueGreen;
  const routing = blueGreen
    ? `blue-green (users → ${blueGreen.activeService}${blueGreen.previewService ? `, preview → ${blueGreen.previewService}` : ''})`
    : canary.trafficRouting
      ? `traffic-routed (${canary.trafficRouting.routers.join(', ')}: exact weights)`
      : 'basic canary (weights by pod count)';
  const out = [
    `rehearse · ${scenario.name}${scenario.file !== '<default>' ? ` (${scenario.file})` : ''} · seed ${r.seed} · until ${formatDuration(untilMs)} · PromQL ${r.prometheusVersion}.x semantics`,
    `rollout    ${ro.metadata.namespace ?? 'default'}/${ro.metadata.name} · ${plural(ro.spec.replicas ?? 1, 'replica')} · ${blueGreen ? '' : `${plural(canary.steps?.length ?? 0, 'step')} · `}${routing}`,
  ];
  const counts = [
    plural(manifests.rollouts.length, 'Rollout'),
    plural(manifests.analysisTemplates.length, 'AnalysisTemplate'),
    ...(manifests.clusterAnalysisTemplates.length > 0 ? [plural(manifests.clusterAnalysisTemplates.length, 'ClusterAnalysisTemplate')] : []),
    plural(manifests.services.length, 'Service'),
  ];
  const ignored = manifests.ignored.map((o) => `${o.kind}/${o.name}`);
  out.push(`manifests  ${counts.join(', ')}${ignored.length > 0 ? ` · not simulated, ignored: ${ignored.join(', ')}` : ''}`);
  if (scenario.change) {
    out.push(
      `change     at ${formatDuration(scenario.change.atMs)}: ${scenario.change.image !== undefined ? `image → ${scenario.change.image}` : "the manifests' pod template replaces a healthy previous revision of itself"}`,
    );
  }
  const t = scenario.traffic;
  let rate = t.steps.length > 0 ? `${t.rps} req/s, then ${t.steps.map((s) => `${s.rps} at ${formatDuration(s.atMs)}`).join(', ')}` : `${t.rps} req/s`;
  if (t.preview) rate += ` (+ ${t.preview.rps} req/s preview traffic)`;
  out.push(`world      ${rate} · pods start in ${formatDuration(scenario.podStartup.medianMs)} (p99 ${formatDuration(scenario.podStartup.p99Ms)}) · scrape every ${formatDuration(scenario.metrics.scrapeIntervalMs)} · metric preset ${scenario.metrics.preset}`);
  return out;
}
