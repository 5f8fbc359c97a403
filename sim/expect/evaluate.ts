// Judges one run against its scenario's `expect` block: one result per key given, each with the
// expected and the actual value in words. Pure: sim/world.ts passes what the run observed.
import { formatDuration, formatPercent } from './format.js';
import type { Expectations, ExpectationResult, FailedRequestsExpectation, FinalExpectation, RunObservation } from './types.js';

/** A virtual time as the user reads it: relative to the change ("2m41.002s after the change"). */
function when(o: RunObservation, t: number): string {
  return o.changeAt === null ? `at ${formatDuration(t)}` : `${formatDuration(t - o.changeAt)} after the change`;
}

export function evaluateExpectations(x: Expectations, o: RunObservation): ExpectationResult[] {
  const out: ExpectationResult[] = [];
  if (x.outcome !== undefined) out.push({ name: 'outcome', ok: o.outcome === x.outcome, expected: x.outcome, actual: o.outcome });
  if (x.withinMs !== undefined) {
    const took = o.decidedAt !== null && o.changeAt !== null ? o.decidedAt - o.changeAt : null;
    out.push({
      name: 'within',
      ok: took !== null && took <= x.withinMs,
      expected: `decided within ${formatDuration(x.withinMs)} of the change`,
      actual: took === null ? 'not decided' : `decided after ${formatDuration(took)}`,
    });
  }
  if (x.maxCanaryWeight !== undefined) {
    out.push({ name: 'maxCanaryWeight', ok: o.maxCanaryWeight <= x.maxCanaryWeight, expected: `≤ ${x.maxCanaryWeight}`, actual: String(o.maxCanaryWeight) });
  }
  if (x.maxFailedRequestRatio !== undefined) {
    const { total, failed } = o.requests;
    const ratio = total > 0 ? failed / total : 0;
    out.push({
      name: 'maxFailedRequestRatio',
      ok: ratio <= x.maxFailedRequestRatio,
      expected: `≤ ${formatPercent(x.maxFailedRequestRatio)}`,
      actual: `${formatPercent(ratio)} (${failed} of ${total})`,
    });
  }
  if (x.failedRequests !== undefined) out.push(failedRequests(x.failedRequests, o));
  if (x.decidedBy !== undefined) out.push(decidedBy(x.decidedBy, o));
  if (x.events !== undefined) out.push(...events(x.events, o));
  if (x.final !== undefined) out.push(...final(x.final, o));
  return out;
}

function failedRequests(x: FailedRequestsExpectation, o: RunObservation): ExpectationResult {
  let total = o.requests.total;
  let failed = o.requests.failed;
  let mirrored = o.requests.mirrored?.total ?? 0;
  let mirroredFailed = o.requests.mirrored?.failed ?? 0;
  let of = 'all requests';
  if (x.version !== undefined) {
    const mine = o.requests.byVersion.filter((v) => v.image === x.version);
    total = mine.reduce((n, v) => n + v.total, 0);
    failed = mine.reduce((n, v) => n + v.failed, 0);
    mirrored = mine.reduce((n, v) => n + (v.mirrored ?? 0), 0);
    mirroredFailed = mine.reduce((n, v) => n + (v.mirroredFailed ?? 0), 0);
    of = `requests served by ${x.version}${mine.length === 0 ? ' (no pod ran this image)' : ''}`;
  }
  // Mirrored copies (setMirrorRoute) load the canary but their answers never reach a user.
  if (x.userFacing) of = `user-facing ${of.replace(/^all requests$/, 'requests')} (mirrored copies excluded)`;
  else if (mirrored > 0) {
    total += mirrored;
    failed += mirroredFailed;
    of = `${of}, including ${mirrored} mirrored copies`;
  }
  const ratio = total > 0 ? failed / total : 0;
  const ok = x.max.kind === 'ratio' ? ratio <= x.max.value : failed <= x.max.value;
  const bound = x.max.kind === 'ratio' ? `≤ ${formatPercent(x.max.value)}` : `≤ ${x.max.value} failed`;
  return { name: 'failedRequests', ok, expected: `${bound} of ${of}`, actual: `${failed} failed of ${total} (${formatPercent(ratio)})` };
}

const UNSUCCESSFUL = new Set(['Failed', 'Error', 'Inconclusive']);

/** The AnalysisRun that decided the rollout: the first to end Failed, Error or Inconclusive after the change. */
export function decidingAnalysis(o: RunObservation): { run: RunObservation['analysisRuns'][number]; metric: string | undefined } | undefined {
  const candidates = o.analysisRuns
    .filter((r) => UNSUCCESSFUL.has(r.phase) && r.endedAt !== null && r.endedAt >= (o.changeAt ?? 0))
    .sort((a, b) => a.endedAt! - b.endedAt!);
  const run = candidates[0];
  if (!run) return undefined;
  // Upstream's run message names the metric: `Metric "success-rate" assessed Failed due to ...`.
  const named = /Metric "([^"]+)" assessed/.exec(run.message)?.[1];
  const metric = named ?? [...run.measurements].reverse().find((m) => UNSUCCESSFUL.has(m.phase))?.metric;
  return { run, metric };
}

function decidedBy(x: NonNullable<Expectations['decidedBy']>, o: RunObservation): ExpectationResult {
  const parts: string[] = [];
  if (x.analysisRun !== undefined) parts.push(`${x.analysisRun === 'experiment' ? 'an' : 'a'} ${x.analysisRun} AnalysisRun`);
  if (x.metric !== undefined) parts.push(`metric ${x.metric}`);
  const expected = parts.length > 0 ? parts.join(', ') : 'an AnalysisRun';
  const d = decidingAnalysis(o);
  if (!d) return { name: 'decidedBy', ok: false, expected, actual: `no AnalysisRun failed (outcome ${o.outcome})` };
  // rollout-type label → expect key: Step → step, PrePromotion → prePromotion.
  const kind = d.run.type.charAt(0).toLowerCase() + d.run.type.slice(1);
  const ok = (x.analysisRun === undefined || x.analysisRun === kind) && (x.metric === undefined || x.metric === d.metric);
  return {
    name: 'decidedBy',
    ok,
    expected,
    actual: `${kind} AnalysisRun ${d.run.name} ${d.run.phase} ${when(o, d.run.endedAt!)}, metric ${d.metric ?? '(none named)'}`,
  };
}

function events(x: NonNullable<Expectations['events']>, o: RunObservation): ExpectationResult[] {
  const after = o.events.filter((e) => e.t >= (o.changeAt ?? 0));
  const firstAt = (reason: string): number | undefined => after.find((e) => e.reason === reason)?.t;
  const out: ExpectationResult[] = [];
  if (x.include.length > 0) {
    const missing = x.include.filter((r) => firstAt(r) === undefined);
    out.push({
      name: 'events.include',
      ok: missing.length === 0,
      expected: x.include.join(', '),
      actual: x.include.map((r) => (firstAt(r) === undefined ? `${r} never` : `${r} ${when(o, firstAt(r)!)}`)).join(', '),
    });
  }
  if (x.exclude.length > 0) {
    const present = x.exclude.filter((r) => firstAt(r) !== undefined);
    out.push({
      name: 'events.exclude',
      ok: present.length === 0,
      expected: `none of ${x.exclude.join(', ')}`,
      actual: present.length === 0 ? 'none of them' : present.map((r) => `${r} ${when(o, firstAt(r)!)}`).join(', '),
    });
  }
  if (x.inOrder.length > 0) {
    // A subsequence: each reason at or after the previous one's occurrence (other events between).
    const found: string[] = [];
    let from = 0;
    let broken: string | undefined;
    for (const reason of x.inOrder) {
      const i = after.findIndex((e, k) => k >= from && e.reason === reason);
      if (i < 0) {
        broken = firstAt(reason) === undefined ? `${reason} never` : `${reason} only before ${found.length > 0 ? x.inOrder[found.length - 1]! : 'that'}`;
        break;
      }
      found.push(`${reason} (${when(o, after[i]!.t)})`);
      from = i + 1;
    }
    out.push({
      name: 'events.inOrder',
      ok: broken === undefined,
      expected: x.inOrder.join(' → '),
      actual: [...found, ...(broken ? [broken] : [])].join(' → '),
    });
  }
  return out;
}

function final(x: FinalExpectation, o: RunObservation): ExpectationResult[] {
  const f = o.final;
  const rsOf = (hash: string | undefined): RunObservation['final']['replicaSets'][number] | undefined => (hash === undefined ? undefined : f.replicaSets.find((r) => r.podTemplateHash === hash));
  const out: ExpectationResult[] = [];
  for (const role of ['stable', 'canary'] as const) {
    const want = x.replicas[role];
    if (want === undefined) continue;
    const rs = rsOf(role === 'stable' ? f.stableHash : f.canaryHash);
    const got = rs?.replicas ?? 0;
    out.push({
      name: `final.replicas.${role}`,
      ok: got === want,
      expected: `${want} pods`,
      actual: rs ? `${got} pods (${rs.ready} ready) of ${rs.image} (${rs.podTemplateHash})` : `0 pods (no ${role} ReplicaSet${role === 'canary' ? ': the new revision is the stable one or there is none' : ''})`,
    });
  }
  for (const { service, target } of x.selectors) {
    const name = `final.selectors.${service}`;
    if (!f.services.has(service)) {
      out.push({ name, ok: false, expected: `selects ${target}`, actual: `no Service ${service} (known: ${[...f.services.keys()].join(', ') || 'none'})` });
      continue;
    }
    const hash = f.services.get(service);
    const rs = rsOf(hash);
    const role = hash === undefined ? undefined : hash === f.stableHash ? 'stable' : hash === f.canaryHash ? 'canary' : undefined;
    const ok = hash !== undefined && (target === 'stable' || target === 'canary' ? role === target : rs?.image === target);
    const actual = hash === undefined ? 'no rollouts-pod-template-hash in its selector' : `${role ?? 'an older revision'} (${hash}${rs ? `, ${rs.image}` : ''})`;
    out.push({ name, ok, expected: `selects ${target}`, actual });
  }
  return out;
}
