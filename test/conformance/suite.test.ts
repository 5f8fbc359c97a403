// The conformance suite against a real cluster (vitest.conformance.config.ts): one cluster for the
// whole suite (REHEARSE_CONFORMANCE_CLUSTER, default local), each scenario played on it and diffed
// against the simulator. Skips, with the reason, when no cluster can be started here (for local:
// the binaries are not built, `npm run setup:conformance`) unless CONFORMANCE_REQUIRE_BINARIES=1.
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterKind, RunningCluster } from '../../harness/cluster/backend.js';
import { findControlPlane } from '../../harness/cluster/binaries.js';
import { findBackend } from '../../harness/conformance/backends.js';
import { conformScenario, controllerLogFrom, type ScenarioConformance } from '../../harness/conformance/conform.js';
import { suiteEntries } from '../../harness/conformance/suite.js';
import { conformanceJson, renderConformanceMarkdown, renderConformanceText } from '../../reports/conformance.js';

const kind = (process.env.REHEARSE_CONFORMANCE_CLUSTER ?? 'local') as ClusterKind;
let cluster: RunningCluster | undefined;
let skipReason: string | undefined;
let controllerLogPath: string | undefined;
const results: ScenarioConformance[] = [];
const started = Date.now();

const required = process.env.CONFORMANCE_REQUIRE_BINARIES === '1';

beforeAll(async () => {
  const install = kind === 'local' ? findControlPlane() : undefined;
  if (install && 'missing' in install && !required) {
    skipReason = install.missing;
    process.stderr.write(`conformance suite skipped: ${skipReason}. Set CONFORMANCE_REQUIRE_BINARIES=1 to fail instead.\n`);
    return;
  }
  const backend = await findBackend(kind);
  if (!backend) {
    skipReason = `no ${kind} cluster backend in harness/cluster/ yet`;
    return;
  }
  try {
    cluster = await backend.start({
      log: (l) => {
        controllerLogPath ??= controllerLogFrom(l);
        process.stderr.write(`${l}\n`);
      },
    });
  } catch (e) {
    if (required) throw e;
    skipReason = `the ${kind} cluster did not start: ${(e as Error).message}`;
  }
  if (skipReason) process.stderr.write(`conformance suite skipped: ${skipReason}\n`);
});

afterAll(async () => {
  await cluster?.stop();
  if (results.length === 0) return;
  const run = { cluster: kind, versions: cluster?.versions ?? {}, results, wallMs: Date.now() - started };
  process.stderr.write(renderConformanceText(run).join('\n') + '\n');
  mkdirSync('conformance-report', { recursive: true });
  writeFileSync('conformance-report/conformance.json', JSON.stringify(conformanceJson(run), null, 2) + '\n');
  writeFileSync('conformance-report/conformance.md', renderConformanceMarkdown(run));
});

describe(`conformance suite on a ${kind} cluster`, () => {
  for (const entry of suiteEntries()) {
    it(entry.name, async (ctx) => {
      if (!cluster) {
        ctx.skip(skipReason ?? 'no cluster');
        return;
      }
      const r = await conformScenario(cluster, entry.file, { log: (l) => process.stderr.write(`${l}\n`), controllerLogPath });
      results.push(r);
      expect(r.status === 'failed' ? r.error : '').toBe('');
      if (r.status === 'compared') expect(r.classified.unexplained.map((d) => `[${d.section}/${d.kind}] ${d.summary}`)).toEqual([]);
    });
  }
});
