// Events as the Rollouts controller logs them. Every event the controller records is also logged
// (utils/record/record.go `defaultEventf`: the message at info level, warning for Warning events,
// with an `event_reason` field and the object as `rollout`/`analysisrun`/... = name), and unlike
// the Event objects in the API, the log is complete: client-go's event recorder drops events past
// a burst of 25 per object (then one per 5 minutes) and folds more than 10 similar events within
// 10 minutes into "(combined from similar events)" (k8s.io/client-go tools/record/events_cache.go:
// defaultSpamBurst, defaultSpamQPS, defaultAggregateMaxEvents) — a conformance scenario on one
// Rollout easily makes 30. So when the controller's log is at hand (the local backend), events are
// read from it; otherwise from the API, with that limitation noted in the report.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { Fields } from './observe.js';

const KINDS: Readonly<Record<string, string>> = {
  rollout: 'Rollout',
  analysisrun: 'AnalysisRun',
  experiment: 'Experiment',
  analysistemplate: 'AnalysisTemplate',
  clusteranalysistemplate: 'ClusterAnalysisTemplate',
};

/** One line of the controller's JSON log → an `event` entry, if it records an event in `namespace`. */
export function eventFromLogLine(line: string, namespace: string): Fields | undefined {
  if (!line.includes('"event_reason"')) return undefined;
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof j.event_reason !== 'string' || j.event_reason === '' || j.namespace !== namespace) return undefined;
  for (const [field, kind] of Object.entries(KINDS)) {
    if (typeof j[field] === 'string') {
      return { type: 'event', object: `${kind}/${j[field] as string}`, reason: j.event_reason, message: String(j.msg ?? ''), eventType: j.level === 'warning' ? 'Warning' : 'Normal' };
    }
  }
  return undefined;
}

/** Follows a growing log file from its current end; `poll` hands over the complete new lines. */
export class LogTail {
  private offset: number;
  private partial = '';

  constructor(private readonly path: string) {
    this.offset = statSync(path).size;
  }

  poll(): string[] {
    const size = statSync(this.path).size;
    if (size <= this.offset) return [];
    const buf = Buffer.alloc(size - this.offset);
    const fd = openSync(this.path, 'r');
    try {
      readSync(fd, buf, 0, buf.length, this.offset);
    } finally {
      closeSync(fd);
    }
    this.offset = size;
    const text = this.partial + buf.toString('utf8');
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    return lines;
  }
}
