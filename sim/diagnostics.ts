// Diagnostics: what rehearse tells a user about their input. One shape for manifests, scenarios,
// PromQL and conditions, so the CLI can print every problem as one clear paragraph
// (file:line:column, the field path, what was expected) and exit 2, never a stack trace.

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  readonly severity: Severity;
  /** File the problem is in ("<stdin>" for standard input, "<inline>" for scenario-inline docs). */
  readonly file: string;
  /** 1-based; 0 when unknown. */
  readonly line: number;
  /** 1-based; 0 when unknown. */
  readonly column: number;
  /** Field path inside the document, e.g. `spec.strategy.canary.steps[2].setWeight`; "" for the whole document. */
  readonly field: string;
  readonly message: string;
}

/** Renders one diagnostic as the single paragraph the CLI prints. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.column}` : d.file;
  const field = d.field ? ` (field ${d.field})` : '';
  return `${where}: ${d.severity}${field}: ${d.message}`;
}

/** Thrown for bad user input; carries every error found (not only the first). */
export class InputError extends Error {
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'InputError';
    this.diagnostics = diagnostics;
  }
}

