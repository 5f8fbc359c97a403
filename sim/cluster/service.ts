// A Kubernetes Service as far as routing is concerned: a name and a label selector that the
// Rollouts controller may extend with the pod-template-hash label.

export class SimService {
  managedByRollouts = false;
  /** `<experiment>/<template>` for a Service an Experiment created (experiments/service.go). */
  ownerExperiment: string | undefined = undefined;

  constructor(
    readonly name: string,
    public selector: Readonly<Record<string, string>>,
  ) {}

  /** A Service with an empty selector selects nothing (Kubernetes does not manage its endpoints). */
  selects(labels: Readonly<Record<string, string>>): boolean {
    const keys = Object.keys(this.selector);
    if (keys.length === 0) return false;
    for (const k of keys) if (labels[k] !== this.selector[k]) return false;
    return true;
  }
}
