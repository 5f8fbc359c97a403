// The controller's event recorder: every Kubernetes Event the real controller would emit goes into
// the trace with its upstream reason and message text (utils/conditions/conditions.go constants).
// The trace keeps every event, unlike a real cluster where client-go's spam filter drops some
// (semantics digest §11.1).
import type { TraceRecorder } from '../engine/trace.js';

export type EventType = 'Normal' | 'Warning';

export class EventRecorder {
  constructor(private readonly trace: TraceRecorder) {}

  event(object: string, reason: string, message: string, type: EventType = 'Normal'): void {
    this.trace.record('event', { object, reason, message, eventType: type });
  }

  warn(object: string, reason: string, message: string): void {
    this.event(object, reason, message, 'Warning');
  }
}
