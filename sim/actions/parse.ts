// The `actions` list of the scenario format: structure (walked with the rest of the scenario by
// sim/scenario/parse.ts, so unknown keys get "did you mean" and positions) and values, each checked
// against the kind it belongs to. docs/scenario.schema.json mirrors ACTIONS_SCHEMA.
import type { ValueReader } from '../expect/parse.js';
import type { FieldSchema } from '../manifests/schema.js';
import { suggestName } from '../manifests/suggest.js';
import type { Json } from '../manifests/yamlWalk.js';
import { ACTION_PARAMS, OPERATOR_ACTION_KINDS, type OperatorAction, type OperatorActionKind } from './types.js';

const str: FieldSchema = { type: 'string' };

export const ACTIONS_SCHEMA: FieldSchema = {
  type: 'list',
  items: {
    type: 'object',
    name: 'Action',
    fields: { kind: str, at: str, full: { type: 'bool' }, toRevision: { type: 'int64' }, container: str, image: str, replicas: { type: 'int64' } },
    required: { kind: 'every action needs a `kind`', at: 'every action needs `at` (when the operator acts)' },
  },
};

type J = { [k: string]: Json } | undefined;
const objOf = (v: Json | undefined): J => (v && typeof v === 'object' && !Array.isArray(v) ? (v as { [k: string]: Json }) : undefined);
const strOf = (v: Json | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** Reads `spec.actions` (already walked structurally: keys and scalar types are known to be right). */
export function parseActions(c: ValueReader, items: readonly Json[]): OperatorAction[] {
  const out: OperatorAction[] = [];
  items.forEach((item, index) => {
    const a = objOf(item);
    const path = `spec.actions[${index}]`;
    const kindText = strOf(a?.kind);
    if (kindText === undefined) return; // reported by the walker (required)
    if (!(OPERATOR_ACTION_KINDS as readonly string[]).includes(kindText)) {
      const hint = suggestName(kindText, OPERATOR_ACTION_KINDS);
      c.error(`${path}.kind`, `unknown action kind "${kindText}".${hint ? ` Did you mean \`${hint}\`?` : ''} Known kinds: ${OPERATOR_ACTION_KINDS.join(', ')}.`);
      return;
    }
    const kind = kindText as OperatorActionKind;
    const atMs = c.duration(`${path}.at`, strOf(a?.at), 0);
    const allowed = ACTION_PARAMS[kind];
    let bad = false;
    for (const key of Object.keys(a ?? {})) {
      if (key === 'kind' || key === 'at' || allowed.includes(key) || a![key] === null) continue;
      c.error(`${path}.${key}`, `action "${kind}" takes no \`${key}\`; ${allowed.length === 0 ? 'it takes no parameters' : `its parameters: ${allowed.join(', ')}`}.`);
      bad = true;
    }
    if (bad) return;
    switch (kind) {
      case 'promote':
        out.push({ index, atMs, kind, full: a?.full === true });
        return;
      case 'undo': {
        const toRevision = c.number(`${path}.toRevision`, a?.toRevision, 0, 'a revision number ≥ 1 (or leave it out for the previous revision)', (n) => Number.isInteger(n) && n >= 1);
        out.push({ index, atMs, kind, toRevision });
        return;
      }
      case 'setImage': {
        const image = strOf(a?.image);
        if (image === undefined || image.trim() === '') {
          c.error(path, 'action "setImage" needs `image`: the new image of the container.');
          return;
        }
        out.push({ index, atMs, kind, container: strOf(a?.container), image });
        return;
      }
      case 'scale': {
        if (a?.replicas === undefined || a.replicas === null) {
          c.error(path, 'action "scale" needs `replicas`: the new spec.replicas.');
          return;
        }
        const replicas = c.number(`${path}.replicas`, a.replicas, 0, 'a number of replicas ≥ 0', (n) => Number.isInteger(n) && n >= 0 && n <= 2_147_483_647);
        out.push({ index, atMs, kind, replicas });
        return;
      }
      default:
        out.push({ index, atMs, kind });
    }
  });
  return out;
}
