// Every field the Argo Rollouts v1.9.1 CRDs define under `spec` (Rollout, AnalysisTemplate,
// ClusterAnalysisTemplate, Experiment) exists in rehearse's manifest schema with a compatible
// type, and every field rehearse accepts is upstream's, with `any` only where deliberate
// (test/conformance/crdFields.ts). The CRDs come from `npm run setup:conformance`
// (scripts/build-control-plane.sh copies them from the pinned module's manifests/crds into
// ${REHEARSE_CACHE:-~/.cache/rehearse}/control-plane/crds); they are read here, never committed.
// Skips with a message when they are absent, unless CONFORMANCE_REQUIRE_BINARIES=1.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { controlPlaneDir } from '../../harness/cluster/binaries.js';
import { analysisTemplateSchema, experimentSchema, type FieldSchema, rolloutSchema } from '../../sim/manifests/schema.js';
import { compareSpec, type Coverage, type OpenApiSchema } from './crdFields.js';

const crdDir = join(controlPlaneDir(), 'crds');
const KINDS: readonly { kind: string; file: string; schema: FieldSchema | undefined }[] = [
  { kind: 'Rollout', file: 'rollout-crd.yaml', schema: rolloutSchema.fields['spec'] },
  { kind: 'AnalysisTemplate', file: 'analysis-template-crd.yaml', schema: analysisTemplateSchema.fields['spec'] },
  { kind: 'ClusterAnalysisTemplate', file: 'cluster-analysis-template-crd.yaml', schema: analysisTemplateSchema.fields['spec'] },
  { kind: 'Experiment', file: 'experiment-crd.yaml', schema: experimentSchema.fields['spec'] },
];
const absent = KINDS.map((k) => join(crdDir, k.file)).filter((f) => !existsSync(f));
const missing = absent.length > 0 ? `${absent.join(', ')} not found (run \`npm run setup:conformance\`)` : undefined;
const required = process.env.CONFORMANCE_REQUIRE_BINARIES === '1';
if (missing && !required) {
  console.warn(`[conformance] CRD field coverage skipped: ${missing}. Set CONFORMANCE_REQUIRE_BINARIES=1 to fail instead.`);
}

interface Crd {
  spec: { names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: OpenApiSchema } }[] };
}

function upstreamSpec(file: string): OpenApiSchema {
  const crd = parseYaml(readFileSync(join(crdDir, file), 'utf8')) as Crd;
  const version = crd.spec.versions.find((v) => v.name === 'v1alpha1');
  const spec = version?.schema.openAPIV3Schema.properties?.['spec'];
  if (spec === undefined) throw new Error(`${file}: no v1alpha1 openAPIV3Schema with a spec`);
  return spec;
}

function tally(fields: Map<string, Coverage>): Record<string, number> {
  const out: Record<string, number> = { total: fields.size };
  for (const c of fields.values()) out[c] = (out[c] ?? 0) + 1;
  return out;
}

describe.skipIf(missing !== undefined && !required)(`Argo Rollouts CRD fields${missing ? ` (${missing})` : ''}`, () => {
  it('the CRDs are there', () => {
    if (missing) throw new Error(`CONFORMANCE_REQUIRE_BINARIES=1 but ${missing}`);
  });

  it.each(KINDS.map((k) => [k.kind, k] as const))('every %s spec field upstream defines is simulated, no-effect or refused', (kind, k) => {
    if (k.schema === undefined) throw new Error(`rehearse has no spec schema for ${kind}`);
    const report = compareSpec(kind, upstreamSpec(k.file), k.schema);
    console.info(`[conformance] ${kind}: ${JSON.stringify(tally(report.fields))}`);
    expect(report.mismatches.join('\n'), `${report.mismatches.length} mismatches between the ${kind} CRD and sim/manifests/schema.ts`).toBe('');
  });
});
