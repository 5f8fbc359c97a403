// The final `kubectl argo rollouts get rollout` view in the terminal: the header block and the
// revision tree as the plugin prints them (pkg/kubectl-argo-rollouts/cmd/get/get_rollout.go
// `PrintRollout`, `PrintRolloutTree`; icons from cmd/get/get.go and info/*.go), without colours
// and without the AGE column (virtual time has no wall-clock age).
import type { RolloutView } from '../sim/rollouts/rolloutView.js';

const ICON_OK = '✔';
const ICON_BAD = '✖';
const ICON_PROGRESSING = '◌';
const ICON_PAUSED = '॥';
const ICON_NEUTRAL = '•';
const ICON_WARNING = '⚠';
const ICON_WAITING = '◷';

function rolloutIcon(status: string): string {
  switch (status) {
    case 'Progressing':
      return ICON_PROGRESSING;
    case 'Paused':
      return ICON_PAUSED;
    case 'Healthy':
      return ICON_OK;
    case 'Degraded':
      return ICON_BAD;
    default:
      return ' ';
  }
}

function replicaSetIcon(status: string): string {
  return status === 'Progressing' ? ICON_PROGRESSING : status === 'Healthy' ? ICON_OK : status === 'ScaledDown' ? ICON_NEUTRAL : ' ';
}

function podIcon(status: string): string {
  if (status.endsWith('Error') || status.startsWith('Err')) return ICON_WARNING;
  if (status === 'Pending' || status === 'ContainerCreating') return ICON_PROGRESSING;
  if (status === 'Running') return ICON_OK;
  if (status === 'CrashLoopBackOff' || status === 'ImagePullBackOff' || status === 'InvalidImageName') return ICON_BAD;
  return ' ';
}

function analysisIcon(phase: string): string {
  switch (phase) {
    case 'Successful':
      return ICON_OK;
    case 'Inconclusive':
      return '?';
    case 'Failed':
      return ICON_BAD;
    case 'Error':
      return ICON_WARNING;
    case 'Running':
      return ICON_PROGRESSING;
    default:
      return ICON_WAITING;
  }
}

const row = (label: string, value: string | number): string => `${label.padEnd(17)}${value}`;

function prefixes(isLast: boolean, sub: string): [string, string] {
  return isLast ? [`${sub}└──`, `${sub}   `] : [`${sub}├──`, `${sub}│  `];
}

/** k8s.io/apimachinery `duration.HumanDuration`, the forms up to a day. */
function humanDuration(ms: number): string {
  const secs = Math.floor(ms / 1000);
  if (secs < 0) return '0s';
  if (secs < 120) return `${secs}s`;
  const mins = Math.floor(secs / 60);
  if (mins < 10) return secs % 60 === 0 ? `${mins}m` : `${mins}m${secs % 60}s`;
  if (mins < 180) return `${mins}m`;
  const hours = Math.floor(mins / 60);
  return mins % 60 === 0 ? `${hours}h` : `${hours}h${mins % 60}m`;
}

/** replicaset_info.go `ScaleDownDelay`: "passed" or the time left until the scale-down deadline. */
function scaleDownDelay(deadline: string, nowMs: number): string {
  const at = Number(deadline);
  if (!Number.isFinite(at)) return deadline;
  return at < nowMs ? 'passed' : humanDuration(at - nowMs);
}

/** The header and tree lines of `get rollout` at virtual time `nowMs`. */
export function renderRolloutView(v: RolloutView, nowMs: number): string[] {
  const out: string[] = [];
  out.push(row('Name:', v.name), row('Namespace:', v.namespace), row('Status:', `${rolloutIcon(v.status)} ${v.status}`));
  if (v.message) out.push(row('Message:', v.message));
  out.push(row('Strategy:', v.strategy));
  // get_rollout.go: Step, SetWeight and ActualWeight are printed for a canary only.
  if (v.strategy === 'Canary') out.push(row('  Step:', v.step ?? ''), row('  SetWeight:', v.setWeight), row('  ActualWeight:', v.actualWeight));
  v.images.forEach((img, i) => out.push(row(i === 0 ? 'Images:' : '', img.tags.length > 0 ? `${img.image} (${img.tags.join(', ')})` : img.image)));
  out.push('Replicas:');
  out.push(row('  Desired:', v.replicas.desired), row('  Current:', v.replicas.current), row('  Updated:', v.replicas.updated));
  out.push(row('  Ready:', v.replicas.ready), row('  Available:', v.replicas.available), '');

  const rows: [string, string, string, string][] = [['NAME', 'KIND', 'STATUS', 'INFO']];
  rows.push([`⟳ ${v.name}`, 'Rollout', `${rolloutIcon(v.status)} ${v.status}`, '']);
  const revisions = [...new Set([...v.replicaSets.map((r) => r.revision), ...v.analysisRuns.map((a) => a.revision)])].sort((a, b) => b - a);
  revisions.forEach((rev, ri) => {
    const [prefix, sub] = prefixes(ri === revisions.length - 1, '');
    rows.push([`${prefix}# revision:${rev}`, '', '', '']);
    const children: ({ kind: 'rs'; rs: RolloutView['replicaSets'][number] } | { kind: 'ar'; ar: RolloutView['analysisRuns'][number] })[] = [
      ...v.replicaSets.filter((r) => r.revision === rev).map((rs) => ({ kind: 'rs' as const, rs })),
      ...v.analysisRuns.filter((a) => a.revision === rev).map((ar) => ({ kind: 'ar' as const, ar })),
    ];
    children.forEach((c, ci) => {
      const [cp, cs] = prefixes(ci === children.length - 1, sub);
      if (c.kind === 'rs') {
        const info = [...c.rs.tags, ...(c.rs.scaleDownDeadline ? [`delay:${scaleDownDelay(c.rs.scaleDownDeadline, nowMs)}`] : [])].join(',');
        rows.push([`${cp}⧉ ${c.rs.name}`, 'ReplicaSet', `${replicaSetIcon(c.rs.status)} ${c.rs.status}`, info]);
        const pods = c.rs.pods ?? [];
        pods.forEach((p, pi) => {
          const [pp] = prefixes(pi === pods.length - 1, cs);
          rows.push([`${pp}□ ${p.name}`, 'Pod', `${podIcon(p.status)} ${p.status}`, [`ready:${p.ready}`, ...(p.restarts > 0 ? [`restarts:${p.restarts}`] : [])].join(',')]);
        });
      } else {
        const a = c.ar;
        const counts = [
          ...(a.successful > 0 ? [`${ICON_OK} ${a.successful}`] : []),
          ...(a.failed > 0 ? [`${ICON_BAD} ${a.failed}`] : []),
          ...(a.inconclusive > 0 ? [`? ${a.inconclusive}`] : []),
          ...(a.error > 0 ? [`${ICON_WARNING} ${a.error}`] : []),
        ].join(',');
        rows.push([`${cp}α ${a.name}`, 'AnalysisRun', `${analysisIcon(a.status)} ${a.status}`, counts]);
      }
    });
  });
  // Columns separated by two spaces, as the plugin's tabwriter does (padding 2).
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  for (const r of rows) out.push(r.map((cell, i) => (i < 3 ? cell + ' '.repeat(widths[i]! - [...cell].length + 2) : cell)).join('').trimEnd());
  return out;
}
