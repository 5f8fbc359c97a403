// The kubelet's per-container back-off (client-go `util/flowcontrol/backoff.go`), used for crash
// restarts (`CrashLoopBackOff`) and image pulls (`ImagePullBackOff`). The kubelet builds both with
// `flowcontrol.NewBackOff(backOffPeriod = 10 s, MaxContainerBackOff = 300 s)` (pkg/kubelet/kubelet.go).
//
// Crash restarts (kuberuntime_manager.go `doBackOff`): when a container has exited, the kubelet asks
// `IsInBackOffSince(key, finishedAt)`; if not in back-off it restarts it and calls
// `Next(key, finishedAt)`. So the first exit is restarted at once (no entry yet) and arms 10 s; each
// later exit waits the current back-off measured from its finish, and the restart doubles it, capped
// at 5 min: waits 0, 10, 20, 40, 80, 160, 300, 300 … s. An entry expires when the event comes more
// than 2 × max (10 min) after its last update — a container that ran 10 min resets the back-off.
//
// Image pulls (images/image_manager.go `EnsureImageExists`): `IsInBackOffSinceUpdate(key, now)`
// refuses to pull until `lastUpdate + backoff`; a failed pull calls `Next(key, now)`. So retries
// come 10, 20, 40 … 300 s apart.

/** kubelet `backOffPeriod`: the first back-off. */
export const KUBELET_BACKOFF_INITIAL_MS = 10_000;
/** kubelet `MaxContainerBackOff`: the cap. */
export const KUBELET_BACKOFF_MAX_MS = 300_000;

export interface BackOffEntry {
  readonly backoffMs: number;
  readonly lastUpdateMs: number;
}

/** flowcontrol `hasExpired`: the entry is forgotten when the event is more than 2 × max after its last update. */
function hasExpired(entry: BackOffEntry, eventMs: number): boolean {
  return eventMs - entry.lastUpdateMs > 2 * KUBELET_BACKOFF_MAX_MS;
}

/** flowcontrol `IsInBackOffSince(id, eventTime)`: still waiting at `nowMs` for an event (e.g. an exit) at `eventMs`. */
export function isInBackOffSince(entry: BackOffEntry | undefined, eventMs: number, nowMs: number): boolean {
  if (entry === undefined || hasExpired(entry, eventMs)) return false;
  return nowMs - eventMs < entry.backoffMs;
}

/** flowcontrol `IsInBackOffSinceUpdate(id, eventTime)`: still waiting at `nowMs` since the entry's last update. */
export function isInBackOffSinceUpdate(entry: BackOffEntry | undefined, nowMs: number): boolean {
  if (entry === undefined || hasExpired(entry, nowMs)) return false;
  return nowMs - entry.lastUpdateMs < entry.backoffMs;
}

/** flowcontrol `Next(id, eventTime)`: initial back-off for a new or expired entry, else doubled up to the cap; lastUpdate = now. */
export function nextBackOff(entry: BackOffEntry | undefined, eventMs: number, nowMs: number): BackOffEntry {
  if (entry === undefined || hasExpired(entry, eventMs)) return { backoffMs: KUBELET_BACKOFF_INITIAL_MS, lastUpdateMs: nowMs };
  return { backoffMs: Math.min(2 * entry.backoffMs, KUBELET_BACKOFF_MAX_MS), lastUpdateMs: nowMs };
}
