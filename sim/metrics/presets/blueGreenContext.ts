// The Services a blue-green Rollout's per-request exporters (Istio/Linkerd sidecars, NGINX, Envoy)
// label requests with: users address the active Service, smoke tests the preview Service
// (rollout/service.go reconcileActiveService / reconcilePreviewService pin each to a ReplicaSet).
import type { BlueGreenStrategy } from '../../manifests/types.js';

export function blueGreenPresetContext(bg: BlueGreenStrategy): { activeService: string; previewService?: string } {
  const preview = bg.previewService ?? '';
  return { activeService: bg.activeService, ...(preview !== '' ? { previewService: preview } : {}) };
}
