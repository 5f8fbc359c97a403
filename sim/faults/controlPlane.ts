// Fault kinds of the 'controlPlane' category (see types.ts and catalogue.ts).
import type { FaultKind } from './types.js';

export const controlPlaneFaults: readonly FaultKind[] = [];
