// Loads users' real Kubernetes / Argo Rollouts YAML (from files, folders, `kustomize build` or
// `helm template` output) into typed objects, reporting every problem at once with
// file:line:column and field path. Pure: the caller reads the text (harness/manifestSources.ts).
//
// YAML is read as YAML 1.1, like Kubernetes' own reader (sigs.k8s.io/yaml over go-yaml v2): unquoted
// yes/no/on/off are booleans, merge keys (`<<`) work, and duplicate keys are errors.

import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import type { Document } from 'yaml';
import type { Diagnostic } from '../diagnostics.js';
import { InputError } from '../diagnostics.js';
import type { PositionIndex } from './build.js';
import { buildAnalysisTemplate, buildExperiment, buildRollout, buildSecret, buildService } from './build.js';
import type { ObjectSchema } from './schema.js';
import { analysisTemplateSchema, experimentSchema, rolloutSchema, secretSchema, serviceSchema } from './schema.js';
import type { AnalysisTemplate, Experiment, IgnoredObject, ManifestSet, Rollout, Secret, Service, SourcePosition } from './types.js';
import { validateAnalysisTemplate, validateRolloutReferences, validateRolloutSpec, validateSecretRefs } from './validate.js';
import { validateExperiment } from './validateExperiment.js';
import type { WalkContext } from './yamlWalk.js';
import { positionOfNode, walk } from './yamlWalk.js';

export interface ManifestSource {
  /** Shown in diagnostics: a path, "<stdin>", or "<inline>". */
  readonly name: string;
  readonly text: string;
}

const ARGO_API_VERSION = 'argoproj.io/v1alpha1';
/** Upper bound on alias expansions per document (guards against "billion laughs" YAML). */
const ALIAS_BUDGET = 10_000;
/** Upper bound on documents per load, so hostile input cannot make a load unbounded. */
const MAX_DOCUMENTS = 10_000;

interface Loaded<T> {
  readonly object: T;
  readonly index: PositionIndex;
  readonly basePath: string;
}

interface LoadState {
  readonly errors: Diagnostic[];
  readonly warnings: Diagnostic[];
  readonly rollouts: Loaded<Rollout>[];
  readonly analysisTemplates: Loaded<AnalysisTemplate>[];
  readonly clusterAnalysisTemplates: Loaded<AnalysisTemplate>[];
  readonly services: Loaded<Service>[];
  readonly secrets: Loaded<Secret>[];
  readonly experiments: Loaded<Experiment>[];
  readonly ignored: IgnoredObject[];
  documents: number;
}

function scalarString(map: unknown, key: string): { value: string | undefined; node: unknown } {
  if (!isMap(map)) return { value: undefined, node: undefined };
  const node = map.get(key, true);
  if (isScalar(node) && typeof node.value === 'string') return { value: node.value, node };
  return { value: undefined, node };
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '');
}

function errorAt(state: LoadState, at: SourcePosition, field: string, message: string): void {
  state.errors.push({ severity: 'error', file: at.file, line: at.line, column: at.column, field, message });
}

/** Handles one Kubernetes object (a document, or an item of a `kind: List`). */
function loadObject(state: LoadState, node: unknown, file: string, lineCounter: LineCounter, doc: Document, basePath: string): void {
  const ctx: WalkContext = {
    file,
    lineCounter,
    doc,
    kind: '',
    basePath,
    diagnostics: [],
    positions: new Map(),
    aliasBudget: ALIAS_BUDGET,
  };
  const at = positionOfNode(ctx, node);
  if (!isMap(node)) {
    errorAt(state, at, basePath, `expected a Kubernetes object (a mapping with apiVersion, kind and metadata), got ${isSeq(node) ? 'a list' : 'a plain value'}.`);
    return;
  }
  const kind = scalarString(node, 'kind');
  const apiVersion = scalarString(node, 'apiVersion');
  const name = (() => {
    const meta = node.get('metadata', true);
    return isMap(meta) ? scalarString(meta, 'name').value ?? '' : '';
  })();
  const field = (f: string): string => (basePath === '' ? f : `${basePath}.${f}`);
  if (kind.value === undefined) {
    errorAt(state, kind.node ? positionOfNode(ctx, kind.node) : at, field('kind'), 'every Kubernetes object needs a kind (a string such as Rollout, AnalysisTemplate or Service).');
    return;
  }

  if (kind.value === 'List' && basePath === '') {
    if (apiVersion.value !== 'v1') {
      errorAt(state, apiVersion.node ? positionOfNode(ctx, apiVersion.node) : at, field('apiVersion'), `a List needs apiVersion: v1, got ${apiVersion.value === undefined ? 'none' : JSON.stringify(apiVersion.value)}.`);
    }
    const items = node.get('items', true);
    if (items === undefined || items === null || (isScalar(items) && items.value === null)) return;
    if (!isSeq(items)) {
      errorAt(state, positionOfNode(ctx, items), field('items'), 'expected items to be a list of Kubernetes objects.');
      return;
    }
    items.items.forEach((item, i) => loadObject(state, item, file, lineCounter, doc, `items[${i}]`));
    return;
  }

  const isArgoKind =
    kind.value === 'Rollout' || kind.value === 'AnalysisTemplate' || kind.value === 'ClusterAnalysisTemplate' || kind.value === 'Experiment';
  const isService = kind.value === 'Service' || kind.value === 'Secret';
  const apiAt = apiVersion.node ? positionOfNode(ctx, apiVersion.node) : at;
  let schema: ObjectSchema | undefined;
  if (isArgoKind) {
    if (apiVersion.value === undefined) {
      errorAt(state, apiAt, field('apiVersion'), `a ${kind.value} needs apiVersion: ${ARGO_API_VERSION}.`);
      return;
    }
    if (apiVersion.value.startsWith('argoproj.io/')) {
      if (apiVersion.value !== ARGO_API_VERSION) {
        errorAt(state, apiAt, field('apiVersion'), `${kind.value} is served as ${ARGO_API_VERSION} only, got ${JSON.stringify(apiVersion.value)}.`);
        return;
      }
      schema = kind.value === 'Rollout' ? rolloutSchema : kind.value === 'Experiment' ? experimentSchema : analysisTemplateSchema;
    }
  } else if (isService) {
    if (apiVersion.value === undefined) {
      errorAt(state, apiAt, field('apiVersion'), `a ${kind.value} needs apiVersion: v1.`);
      return;
    }
    if (apiVersion.value === 'v1') schema = kind.value === 'Secret' ? secretSchema : serviceSchema;
  }
  if (schema === undefined) {
    state.ignored.push({ kind: kind.value, name, file, line: at.line });
    return;
  }

  const walkCtx: WalkContext = { ...ctx, kind: kind.value };
  const value = walk(walkCtx, node, schema, '', '');
  const errors = walkCtx.diagnostics.filter((d) => d.severity === 'error');
  state.errors.push(...errors);
  state.warnings.push(...walkCtx.diagnostics.filter((d) => d.severity === 'warning'));
  if (errors.length > 0 || value === undefined) return;
  const index: PositionIndex = { file, document: at, positions: walkCtx.positions };
  if (kind.value === 'Rollout') {
    // validation.go ValidateRolloutStrategy: exactly one of canary and blueGreen.
    const hasCanary = isMap(node.getIn(['spec', 'strategy', 'canary'], true));
    const hasBlueGreen = isMap(node.getIn(['spec', 'strategy', 'blueGreen'], true));
    if (hasCanary === hasBlueGreen) {
      errorAt(
        state,
        positionOfNode(ctx, node.getIn(['spec', 'strategy'], true) ?? node),
        field('spec.strategy'),
        hasCanary
          ? 'Multiple Strategies can not be listed (blueGreen: true canary: true): give either spec.strategy.canary or spec.strategy.blueGreen.'
          : "Rollout has missing field '.spec.strategy.canary or .spec.strategy.blueGreen'.",
      );
      return;
    }
    state.rollouts.push({ object: buildRollout(value, index), index, basePath });
  } else if (kind.value === 'AnalysisTemplate' || kind.value === 'ClusterAnalysisTemplate') {
    const target = kind.value === 'AnalysisTemplate' ? state.analysisTemplates : state.clusterAnalysisTemplates;
    target.push({ object: buildAnalysisTemplate(value, kind.value, index), index, basePath });
  } else if (kind.value === 'Secret') {
    state.secrets.push({ object: buildSecret(value, index), index, basePath });
  } else if (kind.value === 'Experiment') {
    state.experiments.push({ object: buildExperiment(value, index), index, basePath });
  } else {
    state.services.push({ object: buildService(value, index), index, basePath });
  }
}

function loadSource(state: LoadState, source: ManifestSource): void {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(source.text, { lineCounter, version: '1.1', merge: true, uniqueKeys: true });
  const docs: Document[] = Array.isArray(parsed) ? parsed : [];
  for (const doc of docs) {
    if (++state.documents > MAX_DOCUMENTS) {
      errorAt(state, { file: source.name, line: 0, column: 0 }, '', `too many YAML documents (more than ${MAX_DOCUMENTS}).`);
      return;
    }
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const lp = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
        errorAt(state, { file: source.name, line: lp.line, column: lp.col }, '', `YAML syntax error: ${firstLine(e.message)}.`);
      }
      continue;
    }
    const contents = doc.contents;
    if (contents === null || (isScalar(contents) && contents.value === null)) continue; // empty document
    loadObject(state, contents, source.name, lineCounter, doc, '');
  }
}

function checkDuplicates<T extends { metadata: { name: string; namespace: string | undefined } }>(state: LoadState, kind: string, items: readonly Loaded<T>[]): void {
  const seen = new Map<string, Loaded<T>>();
  for (const item of items) {
    const key = `${item.object.metadata.namespace ?? ''}/${item.object.metadata.name}`;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, item);
      continue;
    }
    const at = item.index.positions.get('metadata.name') ?? item.index.document;
    const firstAt = first.index.document;
    errorAt(
      state,
      at,
      item.basePath === '' ? 'metadata.name' : `${item.basePath}.metadata.name`,
      `duplicate ${kind} "${item.object.metadata.name}": also defined at ${firstAt.file}:${firstAt.line}:${firstAt.column}; each object may appear once.`,
    );
  }
}

/**
 * Reads manifests from YAML texts: multi-document streams (`---`) and `kind: List` documents.
 * Returns the Rollouts (canary), AnalysisTemplates, ClusterAnalysisTemplates and Services, plus
 * the objects of other kinds (listed in `ignored`, not errors) and warnings. Throws `InputError`
 * carrying every error found — syntax, types, unknown or not-simulated fields, and the checks the
 * controller would report as InvalidSpec — and never any other exception for bad input.
 */
export function loadManifests(sources: readonly ManifestSource[]): ManifestSet {
  const state: LoadState = {
    errors: [],
    warnings: [],
    rollouts: [],
    analysisTemplates: [],
    clusterAnalysisTemplates: [],
    services: [],
    secrets: [],
    experiments: [],
    ignored: [],
    documents: 0,
  };
  for (const source of sources) loadSource(state, source);

  checkDuplicates(state, 'Rollout', state.rollouts);
  checkDuplicates(state, 'AnalysisTemplate', state.analysisTemplates);
  checkDuplicates(state, 'ClusterAnalysisTemplate', state.clusterAnalysisTemplates);
  checkDuplicates(state, 'Service', state.services);
  checkDuplicates(state, 'Secret', state.secrets);
  checkDuplicates(state, 'Experiment', state.experiments);

  const semantic: Diagnostic[] = [];
  for (const t of [...state.analysisTemplates, ...state.clusterAnalysisTemplates]) {
    validateAnalysisTemplate(t.object, t.index, t.basePath, semantic);
    validateSecretRefs(t.object, state.secrets.map((s) => s.object), t.index, t.basePath, semantic);
  }
  const manifestIndex = {
    analysisTemplates: state.analysisTemplates.map((t) => t.object),
    clusterAnalysisTemplates: state.clusterAnalysisTemplates.map((t) => t.object),
    services: state.services.map((s) => s.object),
  };
  for (const r of state.rollouts) {
    validateRolloutSpec(r.object, r.index, r.basePath, semantic);
    validateRolloutReferences(r.object, manifestIndex, r.index, r.basePath, semantic);
  }
  for (const e of state.experiments) validateExperiment(e.object, manifestIndex, e.index, e.basePath, semantic);
  state.errors.push(...semantic.filter((d) => d.severity === 'error'));
  state.warnings.push(...semantic.filter((d) => d.severity === 'warning'));

  if (state.errors.length > 0) throw new InputError(state.errors);
  return {
    rollouts: state.rollouts.map((r) => r.object),
    analysisTemplates: manifestIndex.analysisTemplates,
    clusterAnalysisTemplates: manifestIndex.clusterAnalysisTemplates,
    services: manifestIndex.services,
    ...(state.secrets.length > 0 ? { secrets: state.secrets.map((s) => s.object) } : {}),
    ...(state.experiments.length > 0 ? { experiments: state.experiments.map((e) => e.object) } : {}),
    ignored: state.ignored,
    warnings: state.warnings,
  };
}
