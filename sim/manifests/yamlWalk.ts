// Walks one parsed YAML node tree against a FieldSchema: checks types, required and unknown
// fields, routes not-simulated fields to errors, and returns the plain JSON value together with
// the source position of every field — so that later checks can point at file:line:column.

import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Document, LineCounter, Pair, YAMLMap } from 'yaml';
import type { Diagnostic } from '../diagnostics.js';
import type { FieldSchema, ObjectSchema } from './schema.js';
import { fieldSupport } from './schema.js';
import { suggestName } from './suggest.js';
import type { SourcePosition } from './types.js';

/** A plain JSON value as decoded from YAML. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface WalkContext {
  readonly file: string;
  readonly lineCounter: LineCounter;
  readonly doc: Document;
  /** Kind used to look fields up in FIELD_SUPPORT. */
  readonly kind: string;
  /** Prefix of every reported field path, e.g. "items[2]" inside a `kind: List`. */
  readonly basePath: string;
  readonly diagnostics: Diagnostic[];
  /** Concrete field path (without basePath) → position of its value. */
  readonly positions: Map<string, SourcePosition>;
  /** Guards against alias cycles and alias bombs. */
  aliasBudget: number;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

export function childPath(parent: string, key: string): string {
  const part = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key);
  if (parent === '') return part === key ? key : `[${part}]`;
  return part === key ? `${parent}.${key}` : `${parent}[${part}]`;
}

export function fullPath(ctx: { basePath: string }, path: string): string {
  if (ctx.basePath === '') return path;
  if (path === '') return ctx.basePath;
  return path.startsWith('[') ? `${ctx.basePath}${path}` : `${ctx.basePath}.${path}`;
}

export function positionOfNode(ctx: { file: string; lineCounter: LineCounter }, node: unknown): SourcePosition {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  if (!range) return { file: ctx.file, line: 0, column: 0 };
  const lp = ctx.lineCounter.linePos(range[0]);
  return { file: ctx.file, line: lp.line, column: lp.col };
}

export function report(ctx: WalkContext, at: SourcePosition, path: string, message: string, severity: 'error' | 'warning' = 'error'): void {
  ctx.diagnostics.push({ severity, file: at.file, line: at.line, column: at.column, field: fullPath(ctx, path), message });
}

/** Follows aliases (bounded), returning the node they point at. */
function deref(ctx: WalkContext, node: unknown): unknown {
  let current = node;
  while (isAlias(current)) {
    if (ctx.aliasBudget <= 0) return null;
    if (--ctx.aliasBudget === 0) {
      report(ctx, positionOfNode(ctx, current), '', 'too many YAML alias expansions in this document (more than 10000); aliases past that point read as null.');
      return null;
    }
    current = current.resolve(ctx.doc);
  }
  return current;
}

function describe(node: unknown): string {
  if (node === null || node === undefined) return 'nothing (null)';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'null';
    if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
    if (typeof v === 'number') return `the number ${String(v)}`;
    if (typeof v === 'boolean') return `the boolean ${String(v)} (Kubernetes reads unquoted y/n/yes/no/on/off/true/false as booleans)`;
    return `a ${typeof v} value`;
  }
  return 'an unsupported YAML node';
}

function isNullNode(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

/** Map key as Kubernetes' YAML→JSON conversion sees it (non-string scalars are stringified). */
function keyText(ctx: WalkContext, key: unknown): string | undefined {
  const k = deref(ctx, key);
  if (isScalar(k)) {
    const v = k.value;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (v === null) return 'null';
  }
  return undefined;
}

interface Entry {
  readonly key: string;
  readonly keyNode: unknown;
  readonly value: unknown;
}

/** The entries of a mapping, with YAML merge keys (`<<: *anchor`) expanded; explicit keys win. */
function mapEntries(ctx: WalkContext, map: YAMLMap, path: string, depth = 0): Entry[] {
  const explicit: Entry[] = [];
  const merged: Entry[] = [];
  for (const pair of map.items as Pair[]) {
    const keyNode = pair.key;
    if (isScalar(keyNode) && typeof keyNode.value === 'symbol') {
      const source = deref(ctx, pair.value);
      const sources = isSeq(source) ? source.items.map((it) => deref(ctx, it)) : [source];
      for (const src of sources) {
        if (isMap(src) && depth < 16) merged.push(...mapEntries(ctx, src, path, depth + 1));
        else report(ctx, positionOfNode(ctx, pair.value ?? keyNode), path, 'a YAML merge key (<<) must refer to a mapping or a list of mappings');
      }
      continue;
    }
    const key = keyText(ctx, keyNode);
    if (key === undefined) {
      report(ctx, positionOfNode(ctx, keyNode), path, `mapping keys must be plain strings, got ${describe(deref(ctx, keyNode))}`);
      continue;
    }
    explicit.push({ key, keyNode, value: pair.value });
  }
  const seen = new Set(explicit.map((e) => e.key));
  const result = [...explicit];
  for (const e of merged) {
    if (!seen.has(e.key)) {
      seen.add(e.key);
      result.push(e);
    }
  }
  return result;
}

/** Converts any node to plain JSON without schema checks (for `any` fields and raw copies). */
export function toJson(ctx: WalkContext, node: unknown, depth = 0): Json {
  const n = deref(ctx, node);
  if (depth > 200) return null;
  if (isMap(n)) {
    const entries: [string, Json][] = [];
    for (const e of mapEntries(ctx, n, '', depth)) entries.push([e.key, toJson(ctx, e.value, depth + 1)]);
    return Object.fromEntries(entries) as { [key: string]: Json };
  }
  if (isSeq(n)) return n.items.map((it) => toJson(ctx, it, depth + 1));
  if (isScalar(n)) {
    const v = n.value;
    if (typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'number') return Number.isFinite(v) ? v : String(n.source ?? v);
    if (typeof v === 'bigint') return Number(v);
    return null;
  }
  return null;
}

/**
 * Validates `node` against `schema` at concrete `path` (pattern `pattern`, list indices as `[]`).
 * Returns the decoded value, or undefined if the field is absent (null) or invalid.
 */
export function walk(ctx: WalkContext, node: unknown, schema: FieldSchema, path: string, pattern: string): Json | undefined {
  const n = deref(ctx, node);
  if (isNullNode(n)) return undefined;
  const at = positionOfNode(ctx, n);
  ctx.positions.set(path, at);
  const typeError = (expected: string): undefined => {
    report(ctx, at, path, `expected ${expected}, got ${describe(n)}.`);
    return undefined;
  };
  switch (schema.type) {
    case 'any':
      return toJson(ctx, n);
    case 'string': {
      if (isScalar(n) && typeof n.value === 'string') return n.value;
      const quoteHint = isScalar(n) && (typeof n.value === 'number' || typeof n.value === 'boolean') ? ` Quote it ("${String(n.source ?? n.value)}") to make it a string.` : '';
      report(ctx, at, path, `expected ${schema.expect ?? 'a string'}, got ${describe(n)}.${quoteHint}`);
      return undefined;
    }
    case 'int':
    case 'int64': {
      if (isScalar(n) && typeof n.value === 'number' && Number.isInteger(n.value)) {
        if (schema.type === 'int' && (n.value < INT32_MIN || n.value > INT32_MAX)) return typeError('an integer within the 32-bit range');
        if (!Number.isSafeInteger(n.value)) return typeError('an integer within ±2^53');
        return n.value;
      }
      return typeError('an integer');
    }
    case 'bool':
      if (isScalar(n) && typeof n.value === 'boolean') return n.value;
      return typeError('true or false');
    case 'intOrString': {
      if (isScalar(n) && typeof n.value === 'string') return n.value;
      if (isScalar(n) && typeof n.value === 'number' && Number.isInteger(n.value) && n.value >= INT32_MIN && n.value <= INT32_MAX) return n.value;
      return typeError(schema.expect ?? 'an integer or a string');
    }
    case 'stringMap': {
      if (!isMap(n)) return typeError('a mapping of string keys to string values');
      const entries: [string, string][] = [];
      for (const e of mapEntries(ctx, n, path)) {
        const vPath = childPath(path, e.key);
        const v = deref(ctx, e.value);
        if (isScalar(v) && typeof v.value === 'string') {
          entries.push([e.key, v.value]);
          ctx.positions.set(vPath, positionOfNode(ctx, v));
        } else {
          const hint = isScalar(v) && v.value !== null && typeof v.value !== 'object' ? ` Quote it ("${String(v.source ?? v.value)}").` : '';
          report(ctx, positionOfNode(ctx, v ?? e.keyNode), vPath, `expected a string value, got ${describe(v)}.${hint}`);
        }
      }
      return Object.fromEntries(entries);
    }
    case 'list': {
      if (!isSeq(n)) return typeError(`a list${schema.items.type === 'object' ? ` of ${schema.items.name}` : ''}`);
      const out: Json[] = [];
      n.items.forEach((item, i) => {
        const itemPath = `${path}[${i}]`;
        const itemNode = deref(ctx, item);
        if (isNullNode(itemNode)) {
          report(ctx, positionOfNode(ctx, itemNode ?? n), itemPath, `expected ${schema.items.type === 'object' ? `a ${schema.items.name} (a mapping)` : 'a value'}, got an empty list item.`);
          return;
        }
        const v = walk(ctx, itemNode, schema.items, itemPath, `${pattern}[]`);
        if (v !== undefined) out.push(v);
        else out.push(null); // keep indices aligned with the source; documents with errors are not built
      });
      if (n.items.length === 0 && schema.nonEmpty !== undefined) report(ctx, at, path, schema.nonEmpty);
      return out;
    }
    case 'map': {
      if (!isMap(n)) return typeError('a mapping');
      const entries: [string, Json][] = [];
      for (const e of mapEntries(ctx, n, path)) {
        const v = walk(ctx, e.value, schema.values, childPath(path, e.key), `${pattern}{}`);
        entries.push([e.key, v ?? null]);
      }
      return Object.fromEntries(entries);
    }
    case 'object':
      return walkObject(ctx, n, schema, path, pattern, at);
  }
}

function walkObject(ctx: WalkContext, n: unknown, schema: ObjectSchema, path: string, pattern: string, at: SourcePosition): Json | undefined {
  if (!isMap(n)) {
    report(ctx, at, path, `expected ${path === '' ? 'a' : `${path} to be a`} ${schema.name} (a mapping of fields), got ${describe(n)}.`);
    return undefined;
  }
  const out: [string, Json][] = [];
  const present = new Set<string>();
  const known = Object.keys(schema.fields);
  for (const e of mapEntries(ctx, n, path)) {
    const fPath = childPath(path, e.key);
    const fPattern = pattern === '' ? e.key : `${pattern}.${e.key}`;
    const fieldSchema = schema.fields[e.key];
    const keyAt = positionOfNode(ctx, e.keyNode);
    if (!isNullNode(deref(ctx, e.value))) present.add(e.key);
    if (fieldSchema === undefined) {
      if (schema.open) {
        out.push([e.key, toJson(ctx, e.value)]);
        continue;
      }
      const suggestion = suggestName(e.key, known);
      const where = path === '' ? `a ${schema.name}` : `${fullPath(ctx, path)} (a ${schema.name})`;
      const hint = suggestion !== undefined ? ` Did you mean \`${suggestion}\`?` : '';
      report(ctx, keyAt, fPath, `unknown field \`${e.key}\` in ${where}.${hint} Known fields: ${known.join(', ')}.`);
      continue;
    }
    const support = fieldSupport(ctx.kind, fPattern);
    if (support?.support === 'notSimulated' && !isNullNode(deref(ctx, e.value))) {
      report(ctx, keyAt, fPath, `\`${fPattern.replace(/\[\]/g, '[]')}\` is not simulated by rehearse yet (${support.note}). Remove it to rehearse the rest of this ${ctx.kind}.`);
      continue;
    }
    const v = walk(ctx, e.value, fieldSchema, fPath, fPattern);
    if (v !== undefined) out.push([e.key, v]);
  }
  for (const [field, message] of Object.entries(schema.required ?? {})) {
    if (!present.has(field)) report(ctx, at, childPath(path, field), message);
  }
  return Object.fromEntries(out);
}
