// Errors of the PromQL parser and engine, shaped like Prometheus' (`promql/parser/parse.go:
// ParseErr.Error`, `parser/posrange/posrange.go`): "<line>:<col>: parse error: <msg>" where col is
// the 1-based offset in the line. Runtime errors (matching errors, duplicate label sets) are
// `kind: 'execution'`, which the HTTP layer maps to errorType "execution" (HTTP 422), parse
// errors are `kind: 'parse'` ("bad_data", HTTP 400).

export interface SourcePos {
  /** 1-based. */
  readonly line: number;
  /** 1-based column (offset within the line + 1). */
  readonly column: number;
  /** 0-based UTF-16 offset into the query text. */
  readonly offset: number;
}

export type PromqlErrorKind = 'parse' | 'execution' | 'unsupported';

export class PromqlError extends Error {
  readonly kind: PromqlErrorKind;
  /** Where in the query the problem is; undefined for some execution errors. */
  readonly position: SourcePos | undefined;
  /** The message without position prefix. */
  readonly detail: string;

  constructor(kind: PromqlErrorKind, detail: string, position?: SourcePos) {
    super(
      position === undefined || kind === 'execution'
        ? detail
        : kind === 'parse'
          ? `${position.line}:${position.column}: parse error: ${detail}`
          : `${position.line}:${position.column}: ${detail}`,
    );
    this.name = 'PromqlError';
    this.kind = kind;
    this.detail = detail;
    this.position = position;
  }
}

/** Line/column of an offset, counting lines like Prometheus' `posrange` (columns from the last newline). */
export function positionOf(text: string, offset: number): SourcePos {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1, offset };
}

export function parseError(text: string, offset: number, detail: string): PromqlError {
  return new PromqlError('parse', detail, positionOf(text, offset));
}

/**
 * A parse error of an empty query in Prometheus 3, whose position renders as "unknown position"
 * (promql/parser/posrange `PositionRange.StartPosInput` with an empty query; 2.42 says "1:1").
 */
export function parseErrorWithoutQuery(detail: string): PromqlError {
  const e = new PromqlError('parse', detail, { line: 1, column: 1, offset: 0 });
  e.message = `unknown position: parse error: ${detail}`;
  return e;
}

export function unsupported(text: string, offset: number, detail: string): PromqlError {
  return new PromqlError('unsupported', detail, positionOf(text, offset));
}

export function executionError(detail: string): PromqlError {
  return new PromqlError('execution', detail);
}
