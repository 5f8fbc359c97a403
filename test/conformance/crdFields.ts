// Compares the Argo Rollouts CRDs' openAPIV3Schema (the spec half: status is not user input) with
// rehearse's manifest schemas (sim/manifests/schema.ts), field by field. Pure: the test reads the
// CRD files and hands their parsed documents here.
import { openField } from '../../sim/manifests/fieldDocs.js';
import { type FieldSchema, fieldSupport, type FieldSupport } from '../../sim/manifests/schema.js';

/** The subset of a structural OpenAPI v3 schema the CRDs use. */
export interface OpenApiSchema {
  readonly type?: string;
  readonly format?: string;
  readonly properties?: Readonly<Record<string, OpenApiSchema>>;
  readonly additionalProperties?: OpenApiSchema | boolean;
  readonly items?: OpenApiSchema;
  readonly 'x-kubernetes-int-or-string'?: boolean;
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
}

/** How rehearse treats one upstream field. */
export type Coverage = 'simulated' | FieldSupport | 'open' | 'missing';

export interface FieldReport {
  /** Upstream spec path → how rehearse treats it (`[]` list items, `{}` map values). */
  readonly fields: Map<string, Coverage>;
  /** One line per disagreement. */
  readonly mismatches: string[];
}

/** Upstream's JSON shape of a node, in rehearse's vocabulary. */
function upstreamShape(s: OpenApiSchema): string {
  if (s['x-kubernetes-int-or-string'] === true) return 'intOrString';
  switch (s.type) {
    case 'string':
      return 'string';
    case 'integer':
      return s.format === 'int64' ? 'int64' : 'int';
    case 'number':
      return 'number';
    case 'boolean':
      return 'bool';
    case 'array':
      return 'list';
    case 'object':
      if (s.properties !== undefined) return 'object';
      if (typeof s.additionalProperties === 'object') return s.additionalProperties.type === 'string' ? 'stringMap' : 'map';
      // No fields and no x-kubernetes-preserve-unknown-fields: an empty struct (the API server prunes anything written in it).
      return s['x-kubernetes-preserve-unknown-fields'] === true ? 'free-form object' : 'object';
    default:
      return s['x-kubernetes-preserve-unknown-fields'] === true ? 'free-form object' : `untyped`;
  }
}

/** Whether upstream types the node as a structure with named fields (so `any` hides real fields). */
function isStructured(s: OpenApiSchema): boolean {
  if (s.properties !== undefined && Object.keys(s.properties).length > 0) return true;
  if (s.type === 'array' && s.items !== undefined) return isStructured(s.items);
  if (typeof s.additionalProperties === 'object') return isStructured(s.additionalProperties);
  return false;
}

function compatible(up: string, ours: FieldSchema['type']): boolean {
  switch (ours) {
    case 'int': // int32: the loader refuses values outside its range
    case 'int64':
      return up === ours;
    case 'string':
    case 'bool':
    case 'intOrString':
    case 'list':
    case 'object':
      return up === ours;
    case 'map':
      // A map of anything is what a free-form (preserve-unknown-fields) object decodes to.
      return up === 'map' || up === 'free-form object';
    case 'stringMap':
      return up === 'stringMap';
    case 'any':
      return true;
  }
}

/** Every path upstream defines under `s` (including `s` itself at `path`), for counting. */
function allPaths(s: OpenApiSchema, path: string, out: string[]): void {
  out.push(path);
  for (const [k, v] of Object.entries(s.properties ?? {})) allPaths(v, `${path}.${k}`, out);
  if (s.items !== undefined) allPathsBelow(s.items, `${path}[]`, out);
  if (typeof s.additionalProperties === 'object') allPathsBelow(s.additionalProperties, `${path}{}`, out);
}
function allPathsBelow(s: OpenApiSchema, path: string, out: string[]): void {
  for (const [k, v] of Object.entries(s.properties ?? {})) allPaths(v, `${path}.${k}`, out);
  if (s.items !== undefined) allPathsBelow(s.items, `${path}[]`, out);
  if (typeof s.additionalProperties === 'object') allPathsBelow(s.additionalProperties, `${path}{}`, out);
}

/**
 * Walks upstream's `spec` schema against rehearse's `spec` field schema for `kind` and reports
 * how each upstream field is treated, plus every disagreement.
 */
export function compareSpec(kind: string, upstreamSpec: OpenApiSchema, ours: FieldSchema): FieldReport {
  const fields = new Map<string, Coverage>();
  const mismatches: string[] = [];
  // Fields are counted by name: a list item or map value (`x[]`, `x{}`) is not a field of its own.
  const isItem = (path: string): boolean => path.endsWith('[]') || path.endsWith('{}');
  const mark = (s: OpenApiSchema, path: string, coverage: Coverage): void => {
    const paths: string[] = [];
    if (isItem(path)) allPathsBelow(s, path, paths);
    else allPaths(s, path, paths);
    for (const p of paths) fields.set(p, coverage);
  };

  const visit = (up: OpenApiSchema, mine: FieldSchema, path: string, inherited: Coverage): void => {
    const support = fieldSupport(kind, path)?.support;
    const coverage: Coverage = support ?? inherited;
    const shape = upstreamShape(up);
    if (!compatible(shape, mine.type)) {
      mismatches.push(`${kind} ${path}: upstream is ${shape}, rehearse expects ${mine.type}`);
    }
    if (support === 'notSimulated') {
      // Refused at load: everything below shares the entry's fate.
      mark(up, path, support);
      return;
    }
    if (mine.type === 'any') {
      // Accepted unchecked: fine for a noEffect entry or a deliberately open subtree (OPEN_FIELDS);
      // otherwise an `any` must not hide fields upstream names.
      const open = openField(kind, path) !== undefined;
      if (support === undefined && !open && isStructured(up)) {
        mismatches.push(`${kind} ${path}: rehearse accepts it as \`any\` (unchecked) but upstream types it as a ${shape}; give it a schema, a FIELD_SUPPORT entry or an OPEN_FIELDS reason`);
      }
      mark(up, path, support ?? (open ? 'open' : coverage));
      return;
    }
    if (!isItem(path)) fields.set(path, coverage);
    if (mine.type === 'list' && up.items !== undefined) {
      visitChildren(up.items, mine.items, `${path}[]`, coverage);
      return;
    }
    if (mine.type === 'map' && typeof up.additionalProperties === 'object') {
      visitChildren(up.additionalProperties, mine.values, `${path}{}`, coverage);
      return;
    }
    if (mine.type === 'object') visitChildren(up, mine, path, coverage);
  };

  // The fields of an object (or of a list item / map value that is an object).
  const visitChildren = (up: OpenApiSchema, mine: FieldSchema, path: string, coverage: Coverage): void => {
    if (mine.type !== 'object') {
      if (mine.type !== 'any' || up.properties !== undefined) visit(up, mine, path, coverage);
      return;
    }
    const upProps = up.properties ?? {};
    for (const [name, child] of Object.entries(upProps)) {
      const childPath = `${path}.${name}`;
      const ourChild = mine.fields[name];
      if (ourChild === undefined) {
        if (mine.open === true) mark(child, childPath, 'open');
        else {
          mismatches.push(`${kind} ${childPath}: upstream defines it (${upstreamShape(child)}), rehearse's ${mine.name} does not`);
          mark(child, childPath, 'missing');
        }
        continue;
      }
      visit(child, ourChild, childPath, coverage);
    }
    for (const name of Object.keys(mine.fields)) {
      if (!(name in upProps)) mismatches.push(`${kind} ${path}.${name}: rehearse's ${mine.name} accepts it, upstream does not define it`);
    }
  };

  visit(upstreamSpec, ours, 'spec', 'simulated');
  return { fields, mismatches };
}
