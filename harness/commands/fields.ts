// `rehearse fields`: what rehearse does with every Rollout, AnalysisTemplate and Experiment field
// upstream defines — simulated, no effect, or refused as not simulated (docs/fields.md).
import type { Argv } from 'yargs';
import { DOCUMENTED_KINDS, documentedFields, fieldsMarkdown } from '../../sim/manifests/fieldDocs.js';
import type { RehearseCommand } from './common.js';

export const fieldsCommandModule: RehearseCommand = () => ({
  command: 'fields',
  describe: 'List every manifest field and whether rehearse simulates it',
  builder: (y: Argv) => y.option('markdown', { type: 'boolean', default: false, describe: 'print the Markdown reference (docs/fields.md)' }),
  handler: (args) => {
    if ((args as unknown as { markdown: boolean }).markdown) {
      process.stdout.write(fieldsMarkdown());
      return;
    }
    for (const { kind, spec } of DOCUMENTED_KINDS) {
      for (const f of documentedFields(kind, spec)) {
        const t = f.treatment;
        process.stdout.write(`${kind.padEnd(17)} ${f.path.padEnd(90)} ${t.support}${'note' in t ? ` (${t.note})` : ''}\n`);
      }
    }
  },
});
