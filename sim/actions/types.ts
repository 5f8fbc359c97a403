// Operator actions a scenario plays at given virtual times: what an SRE (kubectl-argo-rollouts) or a
// GitOps tool (Argo CD syncing a commit) does to a Rollout mid-flight. Each is data; applying one
// (sim/actions/apply.ts) writes the PATCHes the real client writes, and the controller model — of
// whichever strategy — reacts to the changed spec and status as it would on a cluster.

export const OPERATOR_ACTION_KINDS = [
  'promote',
  'abort',
  'retry',
  'undo',
  'restart',
  'pause',
  'resume',
  'setImage',
  'scale',
  'gitopsRevert',
] as const;

export type OperatorActionKind = (typeof OPERATOR_ACTION_KINDS)[number];

interface ActionBase {
  /** Position in the scenario's `actions` list (names the action in the trace). */
  readonly index: number;
  readonly atMs: number;
}

export type OperatorAction = ActionBase &
  (
    | { readonly kind: 'promote'; readonly full: boolean }
    | { readonly kind: 'abort' | 'retry' | 'restart' | 'pause' | 'resume' | 'gitopsRevert' }
    /** toRevision 0: the revision before the newest one (`kubectl argo rollouts undo` without --to-revision). */
    | { readonly kind: 'undo'; readonly toRevision: number }
    /** container undefined: the first container; "*": every container (as `set image` accepts). */
    | { readonly kind: 'setImage'; readonly container: string | undefined; readonly image: string }
    | { readonly kind: 'scale'; readonly replicas: number }
  );

/** Which parameters each kind takes (besides `kind` and `at`), for the parser's messages. */
export const ACTION_PARAMS: Readonly<Record<OperatorActionKind, readonly string[]>> = {
  promote: ['full'],
  abort: [],
  retry: [],
  undo: ['toRevision'],
  restart: [],
  pause: [],
  resume: [],
  setImage: ['container', 'image'],
  scale: ['replicas'],
  gitopsRevert: [],
};
