// The metric presets by name (scenario `spec.metrics.preset`).
import { customPreset, CUSTOM_DEFAULTS, type CustomMetricsSpec } from './custom.js';
import { envoyPreset } from './envoy.js';
import { genericPreset } from './generic.js';
import { istioPreset } from './istio.js';
import { linkerdPreset } from './linkerd.js';
import { nginxPreset } from './nginx.js';
import type { MetricPreset } from './preset.js';

export const PRESET_NAMES = ['generic', 'istio', 'nginx', 'linkerd', 'envoy', 'custom'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export function presetFor(name: PresetName, custom: CustomMetricsSpec | undefined): MetricPreset {
  switch (name) {
    case 'generic':
      return genericPreset;
    case 'istio':
      return istioPreset;
    case 'nginx':
      return nginxPreset;
    case 'linkerd':
      return linkerdPreset;
    case 'envoy':
      return envoyPreset;
    case 'custom':
      return customPreset(custom ?? CUSTOM_DEFAULTS);
  }
}
