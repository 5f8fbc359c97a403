// The command line as a user meets it: exit codes, the JSON summary, reproducibility, and one
// clear paragraph (file:line:column, field) for bad input — never a stack trace.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cli } from '../helpers/cli.js';


const tmp = (): string => mkdtempSync(join(tmpdir(), 'rehearse-cli-'));

afterEach(() => vi.restoreAllMocks());

describe('rehearse run', () => {
  it('prints a JSON summary with the required fields and exits 0 when expectations hold', async () => {
    const r = await cli(['run', 'scenarios/canary-good.yaml', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(j).toMatchObject({ scenario: 'canary-good', seed: 42, outcome: 'promoted', finalStepIndex: 8, maxCanaryWeight: 100, passed: true });
    for (const key of ['decidedAt', 'requests', 'analysisRuns', 'traceSha256']) expect(j).toHaveProperty(key);
    const requests = j.requests as { total: number; failed: number; byVersion: Record<string, unknown> };
    expect(requests.total).toBeGreaterThan(3_000_000);
    expect(Object.keys(requests.byVersion)).toEqual(['registry.example.com/shop/checkout:1.4.0', 'registry.example.com/shop/checkout:1.5.0']);
    expect((j.analysisRuns as { phase: string }[]).map((a) => a.phase)).toEqual(['Successful', 'Successful']);
    expect(j.reproduce).toBe('rehearse run scenarios/canary-good.yaml --seed 42');
  });

  it('is reproducible: the same seed gives the same trace hash, another seed a different one', async () => {
    const a = JSON.parse((await cli(['run', 'scenarios/canary-good.yaml', '--json'])).stdout) as { traceSha256: string };
    const b = JSON.parse((await cli(['run', 'scenarios/canary-good.yaml', '--json'])).stdout) as { traceSha256: string };
    const c = JSON.parse((await cli(['run', 'scenarios/canary-good.yaml', '--json', '--seed', '43'])).stdout) as { traceSha256: string; seed: number };
    expect(a.traceSha256).toBe(b.traceSha256);
    expect(c.seed).toBe(43);
    expect(c.traceSha256).not.toBe(a.traceSha256);
  });

  it('prints a timeline with the seed and the command that reproduces the run', async () => {
    const r = await cli(['run', 'scenarios/canary-5xx-regression.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/RolloutAborted: Rollout aborted update to revision 2: Step-based analysis phase error\/failed/);
    expect(r.stdout).toMatch(/outcome +ABORTED at /);
    expect(r.stdout).toMatch(/reproduce +rehearse run scenarios\/canary-5xx-regression.yaml --seed 42/);
  });

  it('--status prints the final `get rollout` view before the summary; without it the view is left out', async () => {
    const r = await cli(['run', 'scenarios/istio-canary.yaml', '--status']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const at = lines.indexOf('Name:            reviews');
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at, at + 8)).toEqual([
      'Name:            reviews',
      'Namespace:       bookinfo',
      'Status:          ✖ Degraded',
      expect.stringMatching(/^Message: {9}RolloutAborted: Rollout aborted update to revision 2/),
      'Strategy:        Canary',
      '  Step:          0/7',
      '  SetWeight:     0',
      '  ActualWeight:  0',
    ]);
    expect(r.stdout).toMatch(/α reviews-[a-z0-9]+-2-2 +AnalysisRun +✖ Failed +✔ 2,✖ 2/);
    expect(lines.findIndex((l) => l.startsWith('outcome '))).toBeGreaterThan(at);
    const plain = await cli(['run', 'scenarios/istio-canary.yaml']);
    expect(plain.stdout).not.toMatch(/^Name: /m);
    const json = JSON.parse((await cli(['run', 'scenarios/istio-canary.yaml', '--json'])).stdout) as { rolloutView: { status: string; setWeight: string } };
    expect(json.rolloutView).toMatchObject({ status: 'Degraded', setWeight: '0' });
  });

  it('exits 1 and says which expectation failed', async () => {
    const dir = tmp();
    const text = readFileSync('scenarios/canary-good.yaml', 'utf8')
      .replace('manifests: [manifests/checkout]', `manifests: [${join(process.cwd(), 'scenarios/manifests/checkout')}]`)
      .replace('outcome: promoted', 'outcome: aborted');
    writeFileSync(join(dir, 'wrong.yaml'), text);
    const r = await cli(['run', join(dir, 'wrong.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ outcome: expected aborted, got promoted/);
  });

  it('writes the trace as JSON lines', async () => {
    const file = join(tmp(), 'trace.jsonl');
    const r = await cli(['run', 'scenarios/pause-indefinite.yaml', '--json', '--trace', file]);
    expect(r.code).toBe(0);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const entries = lines.map((l) => JSON.parse(l) as { t: number; type: string });
    expect(entries[0]).toMatchObject({ t: 0, type: 'event', reason: 'RolloutAddedToInformer' });
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.t).toBeGreaterThanOrEqual(entries[i - 1]!.t);
  });

  it('rehearses bare manifests in the default world (folder and stdin)', async () => {
    const folder = await cli(['run', 'scenarios/manifests/search', '--json']);
    expect(folder.code).toBe(0);
    expect(JSON.parse(folder.stdout)).toMatchObject({ outcome: 'paused', finalStepIndex: 1 });
    const yaml = readFileSync('scenarios/manifests/search/rollout.yaml', 'utf8');
    const stdin = await cli(['run', '-', '--json', '--until', '10m'], () => yaml);
    expect(stdin.code).toBe(0);
    expect(JSON.parse(stdin.stdout)).toMatchObject({ outcome: 'paused', reproduce: 'rehearse run - --seed 1 --until 10m' });
  });

  it('honours --prometheus-version 2', async () => {
    const r = await cli(['run', 'scenarios/canary-good.yaml', '--json', '--prometheus-version', '2']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ prometheusVersion: 2, outcome: 'promoted' });
  });
});

describe('bad input: exit 2 with one clear paragraph, no stack trace', () => {
  it('a malformed manifest names file, line, column and field', async () => {
    const dir = tmp();
    const bad = readFileSync('scenarios/manifests/search/rollout.yaml', 'utf8').replace('- setWeight: 25', '- setWieght: 25');
    writeFileSync(join(dir, 'rollout.yaml'), bad);
    const r = await cli(['run', join(dir, 'rollout.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${join(dir, 'rollout.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: error \\(field spec\\.strategy\\.canary\\.steps\\[0\\]\\.setWieght\\)`));
    expect(r.stderr).toMatch(/setWeight/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });

  it('a YAML syntax error is located', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'broken.yaml'), 'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: x\n');
    const r = await cli(['run', join(dir, 'broken.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broken\.yaml:\d+:\d+: error: YAML syntax error/);
  });

  it('a missing file, a bad flag value and an unknown option are reported plainly', async () => {
    expect((await cli(['run', 'no/such/file.yaml'])).code).toBe(2);
    const until = await cli(['run', 'scenarios/canary-good.yaml', '--until', 'soon']);
    expect(until.code).toBe(2);
    expect(until.stderr).toMatch(/--until: expected a duration/);
    const pv = await cli(['run', 'scenarios/canary-good.yaml', '--prometheus-version', '4']);
    expect(pv.code).toBe(2);
    const unknown = await cli(['run', 'scenarios/canary-good.yaml', '--colour']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown argument/);
  });

  it('manifests without a Rollout are refused with the reason', async () => {
    const r = await cli(['run', 'scenarios/manifests/payments/services.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no Rollout/);
  });
});
