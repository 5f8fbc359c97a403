import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventFromLogLine, LogTail } from '../../../harness/conformance/controllerLog.js';

describe('eventFromLogLine', () => {
  it('an event the controller logged (logrus JSON) for a Rollout or AnalysisRun in the run namespace', () => {
    const line = '{"event_reason":"RolloutStepCompleted","level":"info","msg":"Rollout step 1/5 completed (setWeight: 25)","namespace":"rehearse-1","rollout":"web","time":"2026-11-25T20:40:01Z"}';
    expect(eventFromLogLine(line, 'rehearse-1')).toEqual({ type: 'event', object: 'Rollout/web', reason: 'RolloutStepCompleted', message: 'Rollout step 1/5 completed (setWeight: 25)', eventType: 'Normal' });
    const warn = '{"event_reason":"AnalysisRunFailed","level":"warning","msg":"Analysis Completed. Result: Failed","namespace":"rehearse-1","analysisrun":"web-abc-2-2"}';
    expect(eventFromLogLine(warn, 'rehearse-1')).toMatchObject({ object: 'AnalysisRun/web-abc-2-2', eventType: 'Warning' });
  });

  it('ignores other namespaces, lines without an event, and non-JSON', () => {
    expect(eventFromLogLine('{"event_reason":"X","namespace":"other","rollout":"web","msg":"m"}', 'rehearse-1')).toBeUndefined();
    expect(eventFromLogLine('{"level":"info","msg":"Started controller"}', 'rehearse-1')).toBeUndefined();
    expect(eventFromLogLine('time="..." level=info msg="event_reason"', 'rehearse-1')).toBeUndefined();
  });
});

describe('LogTail', () => {
  it('returns only complete lines written after it started', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'rehearse-logtail-')), 'c.log');
    writeFileSync(path, 'old line\n');
    const tail = new LogTail(path);
    expect(tail.poll()).toEqual([]);
    appendFileSync(path, 'one\ntw');
    expect(tail.poll()).toEqual(['one']);
    appendFileSync(path, 'o\n');
    expect(tail.poll()).toEqual(['two']);
  });
});

describe('controllerLogFrom', () => {
  it("reads the controller's log path from the local backend's start-up line", async () => {
    const { controllerLogFrom } = await import('../../../harness/conformance/conform.js');
    expect(controllerLogFrom('local control plane up in 12.3s (namespace rehearse-x; logs in /tmp/rehearse-cluster-abc/logs)')).toBe('/tmp/rehearse-cluster-abc/logs/rollouts-controller.log');
    expect(controllerLogFrom('etcd ready in 0.8s')).toBeUndefined();
  });
});
