// Fault kinds of the 'pods' category (see types.ts and catalogue.ts).
import type { FaultKind } from './types.js';

export const podsFaults: readonly FaultKind[] = [];
