// The `rehearse` command line: one yargs program with a subcommand per job (harness/commands/).
// Exit codes: 0 success, 1 a check failed (an expectation, a test case), 2 bad input (one clear
// paragraph per problem, never a stack trace), 3 an internal error.
import yargs from 'yargs';
import { InputError, formatDiagnostic } from '../sim/diagnostics.js';
import { STDIN_ARG, type CliIo, type RehearseCommand } from './commands/common.js';
import { conformCommandModule } from './commands/conform.js';
import { drillCommandModule } from './commands/drill.js';
import { promqlCommandModule } from './commands/promql.js';
import { faultsCommandModule } from './commands/faults.js';
import { fieldsCommandModule } from './commands/fields.js';
import { runCommandModule } from './commands/run.js';
import { serveCommandModule } from './commands/serve.js';

export type { CliIo } from './commands/common.js';

/** Every subcommand; add new ones here. */
const COMMANDS: readonly RehearseCommand[] = [runCommandModule, drillCommandModule, promqlCommandModule, serveCommandModule, faultsCommandModule, fieldsCommandModule, conformCommandModule];

export async function main(argv: string[], io: CliIo = {}): Promise<number> {
  let code = 0;
  const ctx = { io, setExitCode: (c: number) => void (code = c) };
  try {
    let program = yargs(argv.map((a) => (a === '-' ? STDIN_ARG : a))).scriptName('rehearse');
    for (const command of COMMANDS) program = program.command(command(ctx));
    await program
      .demandCommand(1, 'name a command, e.g. `rehearse run scenarios/canary-good.yaml`')
      .strict()
      .fail((msg, err) => {
        if (err) throw err;
        throw new InputError([{ severity: 'error', file: '<command line>', line: 0, column: 0, field: '', message: msg }]);
      })
      .help()
      .parseAsync();
  } catch (e) {
    if (e instanceof InputError) {
      for (const d of e.diagnostics) process.stderr.write(formatDiagnostic(d) + '\n');
      return 2;
    }
    const err = e as Error;
    process.stderr.write(
      `rehearse: internal error: ${err.message}\n` +
        (process.env.REHEARSE_DEBUG ? `${err.stack ?? ''}\n` : 'This is a bug in rehearse; run again with REHEARSE_DEBUG=1 for details.\n'),
    );
    return 3;
  }
  return code;
}
