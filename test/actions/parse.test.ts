// `spec.actions` in a scenario: every kind with its parameters, and the errors a user sees — file,
// line, column and field path, one paragraph each, all at once.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OPERATOR_ACTION_KINDS } from '../../sim/actions/types.js';
import { InputError, type Diagnostic } from '../../sim/diagnostics.js';
import { parseScenario } from '../../sim/scenario/parse.js';

const HEAD = `apiVersion: rehearse.dev/v1alpha1
kind: Scenario
metadata:
  name: drill
spec:
  manifests: [manifests/app]
  until: 1h
  actions:
`;
const withActions = (lines: string): string => HEAD + lines;

function errorsOf(text: string): readonly Diagnostic[] {
  try {
    parseScenario('ops.yaml', text);
  } catch (e) {
    if (e instanceof InputError) return e.diagnostics;
    throw e;
  }
  throw new Error('expected parseScenario to reject the document');
}

describe('spec.actions', () => {
  it('reads every kind with its parameters, in the order written', () => {
    const s = parseScenario(
      'ops.yaml',
      withActions(`    - { at: 5m, kind: promote }
    - { at: 6m, kind: promote, full: true }
    - { at: 7m, kind: abort }
    - { at: 8m, kind: retry }
    - { at: 9m, kind: undo }
    - { at: 10m, kind: undo, toRevision: 2 }
    - { at: 11m, kind: restart }
    - { at: 12m, kind: pause }
    - { at: 13m, kind: resume }
    - { at: 14m, kind: setImage, image: "app:v3" }
    - { at: 15m, kind: setImage, container: "*", image: "app:v4" }
    - { at: 16m, kind: scale, replicas: 0 }
    - { at: 17m, kind: gitopsRevert }
`),
    );
    const m = 60_000;
    expect(s.actions).toEqual([
      { index: 0, atMs: 5 * m, kind: 'promote', full: false },
      { index: 1, atMs: 6 * m, kind: 'promote', full: true },
      { index: 2, atMs: 7 * m, kind: 'abort' },
      { index: 3, atMs: 8 * m, kind: 'retry' },
      { index: 4, atMs: 9 * m, kind: 'undo', toRevision: 0 },
      { index: 5, atMs: 10 * m, kind: 'undo', toRevision: 2 },
      { index: 6, atMs: 11 * m, kind: 'restart' },
      { index: 7, atMs: 12 * m, kind: 'pause' },
      { index: 8, atMs: 13 * m, kind: 'resume' },
      { index: 9, atMs: 14 * m, kind: 'setImage', container: undefined, image: 'app:v3' },
      { index: 10, atMs: 15 * m, kind: 'setImage', container: '*', image: 'app:v4' },
      { index: 11, atMs: 16 * m, kind: 'scale', replicas: 0 },
      { index: 12, atMs: 17 * m, kind: 'gitopsRevert' },
    ]);
  });

  it('no actions: an empty list', () => {
    expect(parseScenario('ops.yaml', HEAD.replace('  actions:\n', '')).actions).toEqual([]);
  });

  it('an unknown kind: suggestion and the known kinds, at the kind', () => {
    const [e, ...rest] = errorsOf(withActions('    - { at: 5m, kind: promot }\n'));
    expect(rest).toEqual([]);
    expect(e).toMatchObject({ file: 'ops.yaml', line: 9, field: 'spec.actions[0].kind' });
    expect(e!.message).toBe(`unknown action kind "promot". Did you mean \`promote\`? Known kinds: ${OPERATOR_ACTION_KINDS.join(', ')}.`);
  });

  it('a parameter of another kind is named with the parameters this kind takes', () => {
    const [e] = errorsOf(withActions('    - { at: 5m, kind: abort, full: true }\n'));
    expect(e).toMatchObject({ line: 9, field: 'spec.actions[0].full', message: 'action "abort" takes no `full`; it takes no parameters.' });
    const [f] = errorsOf(withActions('    - { at: 5m, kind: promote, replicas: 3 }\n'));
    expect(f).toMatchObject({ field: 'spec.actions[0].replicas', message: 'action "promote" takes no `replicas`; its parameters: full.' });
  });

  it('an unknown key gets "did you mean" from the walker', () => {
    const [e] = errorsOf(withActions('    - { at: 5m, kind: undo, toRevison: 2 }\n'));
    expect(e!.field).toBe('spec.actions[0].toRevison');
    expect(e!.message).toMatch(/Did you mean `toRevision`\?/);
  });

  it('missing kind or at, missing image or replicas, bad values: each reported, all at once', () => {
    const errors = errorsOf(
      withActions(`    - { kind: abort }
    - { at: 5m }
    - { at: 6m, kind: setImage }
    - { at: 7m, kind: scale }
    - { at: 8m, kind: scale, replicas: -1 }
    - { at: 9m, kind: undo, toRevision: 0 }
    - { at: soon, kind: pause }
    - { at: 2h, kind: resume }
`),
    );
    expect(errors.map((e) => [e.line, e.field])).toEqual([
      [9, 'spec.actions[0].at'],
      [10, 'spec.actions[1].kind'],
      [11, 'spec.actions[2]'],
      [12, 'spec.actions[3]'],
      [13, 'spec.actions[4].replicas'],
      [14, 'spec.actions[5].toRevision'],
      [15, 'spec.actions[6].at'],
      [16, 'spec.actions[7].at'],
    ]);
    expect(errors[2]!.message).toBe('action "setImage" needs `image`: the new image of the container.');
    expect(errors[3]!.message).toBe('action "scale" needs `replicas`: the new spec.replicas.');
    expect(errors[4]!.message).toBe('expected a number of replicas ≥ 0, got -1.');
    expect(errors[5]!.message).toMatch(/^expected a revision number ≥ 1/);
    expect(errors[7]!.message).toBe('the action must happen before `until`.');
  });

  it('a wrong scalar type is reported by the walker at the field', () => {
    const [e] = errorsOf(withActions('    - { at: 5m, kind: promote, full: "yes" }\n'));
    expect(e!.field).toBe('spec.actions[0].full');
  });

  it('property: any list of well-formed actions parses back to the same kinds and times', () => {
    const kindArb = fc.constantFrom(...OPERATOR_ACTION_KINDS);
    fc.assert(
      fc.property(fc.array(fc.record({ kind: kindArb, minute: fc.integer({ min: 0, max: 59 }) }), { maxLength: 8 }), (items) => {
        const line = (k: string, m: number): string => {
          const extra = k === 'setImage' ? ', image: "app:v9"' : k === 'scale' ? ', replicas: 3' : k === 'undo' ? ', toRevision: 1' : '';
          return `    - { at: ${m}m, kind: ${k}${extra} }\n`;
        };
        const text = items.length === 0 ? HEAD.replace('  actions:\n', '') : withActions(items.map((i) => line(i.kind, i.minute)).join(''));
        const s = parseScenario('ops.yaml', text);
        expect(s.actions.map((a) => [a.kind, a.atMs])).toEqual(items.map((i) => [i.kind, i.minute * 60_000]));
      }),
      { seed: 20_261_125, numRuns: 100 },
    );
  });
});
