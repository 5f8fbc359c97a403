// The trace: every observable thing the simulation did, in time order, as plain JSON objects.
// It is the contract between the simulator and everything downstream (CLI timeline, reports,
// real-cluster diffing), so entries are flat, typed by `type`, and carry the virtual time `t` (ms).

export interface TraceEntryBase {
  /** Virtual time in milliseconds since the start of the run. */
  readonly t: number;
  readonly type: string;
}

export type TraceEntry = TraceEntryBase & Readonly<Record<string, unknown>>;

export class TraceRecorder {
  private readonly items: TraceEntry[] = [];

  constructor(private readonly clock: { readonly nowMs: number }) {}

  record(type: string, fields: Readonly<Record<string, unknown>> = {}): void {
    this.items.push({ t: this.clock.nowMs, type, ...fields });
  }

  get entries(): readonly TraceEntry[] {
    return this.items;
  }

  /** JSON lines, one entry per line, keys in insertion order (stable by construction). */
  toJsonLines(): string {
    let out = '';
    for (const e of this.items) out += JSON.stringify(e) + '\n';
    return out;
  }
}
