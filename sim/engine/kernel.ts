// The event kernel: a virtual clock in integer milliseconds and a queue of scheduled actions.
// Like SimPy's Environment (core.py), entries are ordered by (time, priority, insertion sequence),
// so actions at the same instant run in a stable, reproducible order. Everything else in sim/
// (pods, traffic ticks, scrapes, controller reconciles, analysis measurements) is built on
// `schedule` — and a real-cluster mode swaps only how time advances, not the model.

/** Lower runs first among actions at the same virtual millisecond. */
export const Priority = {
  /** Data-plane state changes (pods becoming ready, scenario changes, faults, operator actions). */
  world: 0,
  /** Traffic accounting and metric scrapes: observe the data plane after it changed. */
  observe: 1,
  /** Analysis controller work (measurements) — reads metrics written at the same instant. */
  analysis: 2,
  /** Rollout controller reconciles — see everything that happened at this instant. */
  controller: 3,
} as const;
export type Priority = (typeof Priority)[keyof typeof Priority];

export interface ScheduledAction {
  readonly atMs: number;
  readonly priority: number;
  readonly seq: number;
  readonly label: string;
  cancelled: boolean;
  readonly run: () => void;
}

export interface KernelLimits {
  /** Hard cap on processed actions: a scenario can never hang the engine (DESIGN.md principle 6). */
  readonly maxEvents: number;
}

export class LimitReachedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LimitReachedError';
  }
}

export class Kernel {
  private heap: ScheduledAction[] = [];
  private seq = 0;
  private processed = 0;
  private current = 0;

  constructor(private readonly limits: KernelLimits = { maxEvents: 5_000_000 }) {}

  /** Current virtual time in integer milliseconds. */
  get nowMs(): number {
    return this.current;
  }

  get eventsProcessed(): number {
    return this.processed;
  }

  /** Schedules `run` at absolute virtual time `atMs` (clamped to now; rounded to whole ms). */
  schedule(atMs: number, priority: number, label: string, run: () => void): ScheduledAction {
    const at = Math.max(this.current, Math.round(atMs));
    const action: ScheduledAction = { atMs: at, priority, seq: this.seq++, label, cancelled: false, run };
    this.push(action);
    return action;
  }

  /** Schedules `run` after `delayMs` of virtual time. */
  after(delayMs: number, priority: number, label: string, run: () => void): ScheduledAction {
    return this.schedule(this.current + delayMs, priority, label, run);
  }

  cancel(action: ScheduledAction | undefined): void {
    if (action) action.cancelled = true;
  }

  /**
   * Runs actions in order until the queue is empty or the next action is later than `untilMs`;
   * the clock then stands at `untilMs` (or at the last action when the queue ran dry earlier
   * and `advanceToEnd` is false).
   */
  run(untilMs: number, advanceToEnd = true): void {
    for (;;) {
      this.dropCancelledHead();
      const next = this.heap[0];
      if (!next || next.atMs > untilMs) break;
      this.pop();
      this.current = next.atMs;
      if (++this.processed > this.limits.maxEvents) {
        throw new LimitReachedError(
          `the simulation processed more than ${this.limits.maxEvents} events by ${this.current} ms (last: ${next.label}); ` +
            'this is a limit that protects against runaway scenarios',
        );
      }
      next.run();
    }
    if (advanceToEnd && untilMs > this.current) this.current = untilMs;
  }

  private dropCancelledHead(): void {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.pop();
  }

  private static before(a: ScheduledAction, b: ScheduledAction): boolean {
    if (a.atMs !== b.atMs) return a.atMs < b.atMs;
    if (a.priority !== b.priority) return a.priority < b.priority;
    return a.seq < b.seq;
  }

  private push(action: ScheduledAction): void {
    const heap = this.heap;
    heap.push(action);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!Kernel.before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let smallest = i;
      if (l < heap.length && Kernel.before(heap[l]!, heap[smallest]!)) smallest = l;
      if (r < heap.length && Kernel.before(heap[r]!, heap[smallest]!)) smallest = r;
      if (smallest === i) break;
      [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
      i = smallest;
    }
  }
}
