// Fault kinds of the 'release' category (see types.ts and catalogue.ts).
import type { FaultKind } from './types.js';

export const releaseFaults: readonly FaultKind[] = [];
