// Fault kinds of the 'metrics' category (see types.ts and catalogue.ts).
import type { FaultKind } from './types.js';

export const metricsFaults: readonly FaultKind[] = [];
