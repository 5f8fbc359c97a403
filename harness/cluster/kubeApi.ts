// Small Kubernetes API helpers shared by the backends: API errors by HTTP status, CRD installation
// (create, then wait for Established, as Argo's controller needs its CRDs served before its
// informers can sync), and the per-run namespace.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ApiextensionsV1Api, CoreV1Api, loadYaml, type Informer, type KubeConfig, type KubernetesObject, type V1CustomResourceDefinition } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { waitUntil, type WaitOptions } from './wait.js';

/** The HTTP status of a client-node ApiException (undefined for other errors). */
export function apiStatus(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

export function isNotFound(err: unknown): boolean {
  return apiStatus(err) === 404;
}

export function isAlreadyExists(err: unknown): boolean {
  return apiStatus(err) === 409;
}

/**
 * The objects of a multi-document YAML text in client-node's model form: each non-empty document
 * goes through client-node's loadYaml, which maps wire names to the model's property names
 * (`x-kubernetes-int-or-string` → `x_kubernetes_int_or_string`). A plain YAML parse would have
 * client-node's serializer silently drop such keys on the way out. (loadAllYaml itself fails on
 * empty documents, which install manifests contain.)
 */
export function loadManifests(text: string): unknown[] {
  const out: unknown[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`YAML error: ${doc.errors[0]?.message ?? ''}`);
    const js: unknown = doc.toJS();
    if (js === null || js === undefined) continue;
    // JSON is YAML: hand the parsed document to client-node's model mapping.
    out.push(loadYaml<unknown>(JSON.stringify(js)));
  }
  return out;
}

/**
 * The CustomResourceDefinitions in YAML files (multi-document files allowed; other kinds refused).
 * Read with client-node's loadAllYaml, which maps wire names to its model's property names
 * (`x-kubernetes-int-or-string` → `x_kubernetes_int_or_string`): a plain YAML parse would
 * have client-node's serializer silently drop those keys, and the API server reject the CRD.
 */
export function readCrdFiles(files: readonly string[]): V1CustomResourceDefinition[] {
  const crds: V1CustomResourceDefinition[] = [];
  for (const file of files) {
    for (const obj of loadManifests(readFileSync(file, 'utf8')) as V1CustomResourceDefinition[]) {
      if (obj.kind !== 'CustomResourceDefinition') throw new Error(`${basename(file)}: expected a CustomResourceDefinition, found kind ${String(obj.kind)}`);
      crds.push(obj);
    }
  }
  return crds;
}

/** Creates (or leaves in place) every CRD and waits until each is Established. */
export async function installCrds(kc: KubeConfig, crds: readonly V1CustomResourceDefinition[], wait: WaitOptions): Promise<void> {
  const api = kc.makeApiClient(ApiextensionsV1Api);
  for (const body of crds) {
    try {
      await api.createCustomResourceDefinition({ body });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }
  for (const crd of crds) {
    const name = crd.metadata?.name ?? '';
    await waitUntil(
      `CRD ${name} to be Established`,
      async () => {
        const got = await api.readCustomResourceDefinition({ name });
        return (got.status?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True');
      },
      wait,
    );
  }
}

/** A fresh namespace name for one run: rehearse-<8 hex>. */
export function runNamespaceName(): string {
  return `rehearse-${randomBytes(4).toString('hex')}`;
}

export async function createNamespace(kc: KubeConfig, name: string, labels: Record<string, string> = {}): Promise<void> {
  const api = kc.makeApiClient(CoreV1Api);
  try {
    await api.createNamespace({ body: { metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'rehearse', ...labels } } } });
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
}

/** Deletes a namespace rehearse created (foreground: its objects go with it); absent is fine. */
export async function deleteNamespace(kc: KubeConfig, name: string): Promise<void> {
  const api = kc.makeApiClient(CoreV1Api);
  try {
    await api.deleteNamespace({ name, propagationPolicy: 'Foreground' });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/**
 * Restarts a watch that failed (a dropped connection, a 410 Gone after a long pause) half a second
 * later, unless its owner has stopped: a pod watch that silently ends would freeze the run.
 */
export function restartWatchOnError<T extends KubernetesObject>(informer: Informer<T>, stopped: () => boolean, log: (line: string) => void): void {
  informer.on('error', (err: unknown) => {
    if (stopped()) return;
    log(`pod watch failed (${String(err)}); restarting it`);
    setTimeout(() => {
      if (!stopped()) informer.start().catch(() => undefined);
    }, 500);
  });
}
