// The terminal timeline of a run: one line per thing an operator would want to see — controller
// events, analysis measurements and run phases, the change — each prefixed with the state at that
// instant: virtual time, step i/n, canary weight (set by the controller / actually received by the
// new revision's pods) and ready pods per revision.
import type { TraceEntry } from '../sim/engine/trace.js';

export interface TimelineOptions {
  /** Show every pod transition too (verbose). */
  readonly pods?: boolean;
}

interface State {
  step: string;
  setWeight: number;
  /** The router's state once the controller has written it (traffic-routed canaries only). */
  router: { canaryWeight: number; maxWeight: number; canaryHash: string; stableHash: string } | undefined;
  currentHash: string;
  /** Blue-green: the hash the active Service selects (all users' traffic goes there). */
  activeHash: string | undefined;
}

/** 312_500 → "00:05:12.500"; whole seconds print without the fraction. */
export function formatClock(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const frac = ms % 1000;
  const base = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return frac === 0 ? base : `${base}.${String(frac).padStart(3, '0')}`;
}

export function renderTimeline(trace: readonly TraceEntry[], options: TimelineOptions = {}): string[] {
  const lines: string[] = [];
  const state: State = { step: '-', setWeight: 0, router: undefined, currentHash: '', activeHash: undefined };
  const rsHash = new Map<string, string>();
  const rsRevision = new Map<string, string>();
  const podReady = new Map<string, { rs: string; ready: boolean }>();
  const header = `${'time'.padEnd(12)} ${'step'.padEnd(5)} ${'weight'.padEnd(9)} ${'ready pods'.padEnd(16)} what`;
  lines.push(header);

  const readyByRs = (): Map<string, number> => {
    const m = new Map<string, number>();
    for (const p of podReady.values()) if (p.ready) m.set(p.rs, (m.get(p.rs) ?? 0) + 1);
    return m;
  };
  const prefix = (t: number): string => {
    const ready = readyByRs();
    let total = 0;
    for (const n of ready.values()) total += n;
    let canary = 0;
    for (const [rs, n] of ready) if (rsHash.get(rs) === state.currentHash) canary += n;
    let actual = total > 0 ? Math.round((100 * canary) / total) : 0;
    const r = state.router;
    if (r) {
      // Share of the route that lands on the current revision's Service targets.
      const w = (r.canaryHash === state.currentHash ? r.canaryWeight : 0) + (r.stableHash === state.currentHash ? r.maxWeight - r.canaryWeight : 0);
      actual = Math.round((100 * w) / r.maxWeight);
    }
    if (state.activeHash !== undefined) actual = state.activeHash !== '' && state.activeHash === state.currentHash ? 100 : 0;
    let pods = [...rsRevision.entries()]
      .filter(([rs]) => (ready.get(rs) ?? 0) > 0)
      .map(([rs, rev]) => `r${rev}:${ready.get(rs)}`)
      .join(' ');
    // Pods of ReplicaSets the Rollout did not create (an Experiment's) are counted together.
    let others = 0;
    for (const [rs, n] of ready) if (!rsRevision.has(rs)) others += n;
    if (others > 0) pods += ` exp:${others}`;
    return `${formatClock(t).padEnd(12)} ${state.step.padEnd(5)} ${`${state.setWeight}/${actual}%`.padEnd(9)} ${(pods || '-').padEnd(16)} `;
  };

  for (const e of trace) {
    switch (e.type) {
      case 'status':
        state.step = e.step === null ? '-' : `${String(e.step)}/${String(e.steps)}`;
        state.setWeight = Number(e.setWeight ?? 0);
        state.currentHash = String(e.currentPodHash ?? '');
        if (e.activeSelector !== undefined) state.activeHash = String(e.activeSelector);
        break;
      case 'replicaSet':
        rsHash.set(String(e.replicaSet), String(e.podTemplateHash));
        break;
      case 'router':
        state.router = {
          canaryWeight: Number(e.canaryWeight),
          maxWeight: Number(e.maxWeight),
          canaryHash: String(e.canaryHash),
          stableHash: String(e.stableHash),
        };
        break;
      case 'pod': {
        const name = String(e.pod);
        if (e.phase === 'Deleted') podReady.delete(name);
        else podReady.set(name, { rs: String(e.replicaSet), ready: e.phase === 'Ready' || e.phase === 'Available' });
        if (options.pods) lines.push(prefix(e.t) + `pod ${name} ${String(e.phase)}`);
        break;
      }
      case 'event': {
        const m = /^Created ReplicaSet (\S+) \(revision (\d+)\)$/.exec(String(e.message));
        if (m) rsRevision.set(m[1]!, m[2]!);
        // Events on an Experiment (not the Rollout) are marked, as `kubectl get events` shows the object.
        const on = String(e.object ?? '').startsWith('Experiment/') ? '[experiment] ' : '';
        lines.push(prefix(e.t) + `${e.eventType === 'Warning' ? '⚠ ' : ''}${on}${String(e.reason)}: ${String(e.message)}`);
        break;
      }
      case 'change':
        lines.push(prefix(e.t) + `▶ change applied: image ${String(e.image)} (pod-template-hash ${String(e.podTemplateHash)})`);
        break;
      case 'action': {
        // An operator action (sim/actions/apply.ts) with the requests it sent.
        const patches = (e.patches as { target: string; type: string; patch: unknown }[] | undefined) ?? [];
        const sent = patches.map((p) => `${p.type === 'json' ? 'JSON-PATCH' : p.type === 'apply' ? 'APPLY' : 'PATCH'} ${p.target} ${clip(JSON.stringify(p.patch), 160)}`);
        const text = `▶ action ${String(e.kind)}${e.full === true ? ' --full' : ''}: ${String(e.message)}`;
        lines.push(prefix(e.t) + (e.failed === true ? `⚠ ${text} (failed)` : text) + (sent.length > 0 ? ` · ${sent.join(' · ')}` : ''));
        break;
      }
      case 'measurement':
        lines.push(
          prefix(e.t) +
            `  measurement ${String(e.metric)} = ${e.value === null ? '-' : String(e.value)} → ${String(e.phase)}${e.message ? ` (${String(e.message)})` : ''}`,
        );
        break;
      case 'analysisRun':
        lines.push(prefix(e.t) + `  AnalysisRun ${String(e.run)} ${String(e.phase)}${e.message ? `: ${String(e.message)}` : ''}`);
        break;
      default:
        break;
    }
  }
  return lines;
}

/** A long patch (a whole pod template) shortened for the timeline; the trace keeps it whole. */
function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
