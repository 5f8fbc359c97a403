// What every `rehearse` subcommand shares: the environment it reads (tests pass their own), how it
// sets the exit code, and how bad command-line input is reported (as an InputError: exit 2).
import type { CommandModule } from 'yargs';
import { InputError } from '../../sim/diagnostics.js';

/** What the CLI reads from its environment; tests pass their own. */
export interface CliIo {
  readonly readStdin?: () => string;
}

export interface CommandContext {
  readonly io: CliIo;
  setExitCode(code: number): void;
}

/** A subcommand: a yargs command module built for one invocation. */
export type RehearseCommand = (ctx: CommandContext) => CommandModule;

/** yargs drops a lone "-" (standard input) from positionals, so it travels under this name. */
export const STDIN_ARG = '\u0000stdin';

export function fromStdinArg(arg: string): string {
  return arg === STDIN_ARG ? '-' : arg;
}

export function usageError(message: string): never {
  throw new InputError([{ severity: 'error', file: '<command line>', line: 0, column: 0, field: '', message }]);
}
