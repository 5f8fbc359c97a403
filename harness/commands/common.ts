// What every `rehearse` subcommand shares: the environment it reads (tests pass their own), how it
// sets the exit code, and how bad command-line input is reported (as an InputError: exit 2).
import type { CommandModule } from 'yargs';
import { InputError } from '../../sim/diagnostics.js';
import { DurationError, parseGoDurationMs } from '../../sim/manifests/duration.js';

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

/** The options every command that runs a scenario shares, checked: one paragraph per bad value. */
export interface RunOptionArgs {
  readonly until?: string | undefined;
  readonly seed?: number | undefined;
  readonly prometheusVersion?: number | undefined;
}

export function checkRunOptions(argv: RunOptionArgs): { untilMs: number | undefined; seed: number | undefined; prometheusVersion: 2 | 3 | undefined } {
  let untilMs: number | undefined;
  if (argv.until !== undefined) {
    try {
      untilMs = parseGoDurationMs(argv.until);
    } catch (e) {
      if (e instanceof DurationError) usageError(`--until: expected a duration such as "30m" or "2h", got "${argv.until}".`);
      throw e;
    }
    if (untilMs <= 0) usageError('--until must be positive.');
  }
  if (argv.seed !== undefined && (!Number.isSafeInteger(argv.seed) || argv.seed < 0)) usageError(`--seed: expected a non-negative integer, got ${argv.seed}.`);
  const pv = argv.prometheusVersion;
  if (pv !== undefined && pv !== 2 && pv !== 3) usageError(`--prometheus-version: expected 2 or 3, got ${pv}.`);
  return { untilMs, seed: argv.seed, prometheusVersion: pv as 2 | 3 | undefined };
}
