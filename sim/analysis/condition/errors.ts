/**
 * A compile-time (syntax or type) error of a condition. `message` is expr's message without the
 * location (what Argo reports after unwrapping `file.Error`); `line`/`column` are 1-based.
 */
export class ConditionError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'ConditionError';
  }

  /** expr's `file.Error` first line: `message (line:column)` (expr prints a 0-based column). */
  get located(): string {
    return `${this.message} (${this.line}:${this.column - 1})`;
  }
}

export interface Loc {
  readonly line: number;
  /** 0-based rune column, as expr's file.Location. */
  readonly col: number;
}

export function fail(message: string, loc: Loc): never {
  throw new ConditionError(message, loc.line, loc.col + 1);
}
