// The kubeconfig backend plays rollouts against a cluster someone already runs. It never picks a
// context by itself (no current-context default) and refuses names that look like production —
// prod, production, prd, live (optionally with digits: prod2) as whole words of the context or
// cluster name — unless the user forces it.

const PRODUCTION_WORDS = /^(prod|production|prd|live)\d*$/;

/** The production-looking word in `name`, if any ("gke_acme_eu-west1_prod-2" → "prod"). */
export function productionWord(name: string): string | undefined {
  for (const word of name.toLowerCase().split(/[^a-z0-9]+/)) {
    if (PRODUCTION_WORDS.test(word)) return word;
  }
  return undefined;
}

/** Throws a one-paragraph refusal when the context (or its cluster) looks like production. */
export function assertNotProduction(context: string, cluster: string | undefined, force: boolean): void {
  if (force) return;
  for (const [what, name] of [
    ['context', context],
    ['cluster', cluster],
  ] as const) {
    if (name === undefined) continue;
    const word = productionWord(name);
    if (word !== undefined) {
      throw new Error(
        `refusing kubeconfig ${what} "${name}": the word "${word}" says it may be a production cluster. ` +
          'rehearse creates and deletes a namespace and runs rollouts there; point it at a test cluster, ' +
          'or pass --force if you are sure.',
      );
    }
  }
}
