// Fault kinds of the 'traffic' category (see types.ts and catalogue.ts).
import type { FaultKind } from './types.js';

export const trafficFaults: readonly FaultKind[] = [];
