// `rehearse faults`: the failure-injection catalogue — every kind with its parameters and an
// example, as text, Markdown (docs/faults.md) or the JSON Schema of a `faults:` entry.
import type { Argv } from 'yargs';
import { FAULT_KINDS } from '../../sim/faults/catalogue.js';
import { faultJsonSchema, faultsMarkdown } from '../../sim/faults/docs.js';
import type { RehearseCommand } from './common.js';

export const faultsCommandModule: RehearseCommand = (ctx) => ({
  command: 'faults [kind]',
  describe: 'List the failure-injection catalogue: kinds, parameters, examples',
  builder: (y: Argv) =>
    y
      .positional('kind', { type: 'string', describe: 'show one kind' })
      .option('markdown', { type: 'boolean', default: false, describe: 'print the Markdown reference (docs/faults.md)' })
      .option('json-schema', { type: 'boolean', default: false, describe: 'print the JSON Schema of a faults: entry' }),
  handler: (args) => {
    const a = args as unknown as { kind?: string; markdown: boolean; jsonSchema: boolean };
    if (a.jsonSchema) {
      process.stdout.write(JSON.stringify(faultJsonSchema(), null, 2) + '\n');
    } else if (a.markdown) {
      process.stdout.write(faultsMarkdown());
    } else {
      const kinds = a.kind === undefined ? [...FAULT_KINDS.values()] : [FAULT_KINDS.get(a.kind)].filter((k) => k !== undefined);
      if (kinds.length === 0) {
        process.stderr.write(`rehearse: unknown fault kind "${a.kind}"; known kinds: ${[...FAULT_KINDS.keys()].join(', ')}\n`);
        ctx.setExitCode(2);
        return;
      }
      for (const k of kinds) {
        const params = Object.entries(k.params).map(([n, p]) => `${n}${p.default === undefined ? '' : '?'}: ${p.type}`);
        process.stdout.write(`${k.kind.padEnd(22)} ${k.category.padEnd(13)} ${params.join(', ') || '-'}\n`);
        if (a.kind !== undefined) process.stdout.write(`\n${k.description}\n\n${k.example}\n`);
      }
    }
  },
});
