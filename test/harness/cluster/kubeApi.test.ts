import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dumpYaml } from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { apiStatus, isAlreadyExists, isNotFound, loadManifests, readCrdFiles, runNamespaceName } from '../../../harness/cluster/kubeApi.js';

const CRD = `---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: things.example.com
spec:
  group: example.com
  names: { kind: Thing, plural: things }
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            maxSurge:
              anyOf: [{ type: integer }, { type: string }]
              x-kubernetes-int-or-string: true
---
`;

const dir = mkdtempSync(join(tmpdir(), 'rehearse-kubeapi-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadManifests / readCrdFiles', () => {
  it('keeps x-kubernetes-int-or-string through client-node’s serializer (a plain YAML parse loses it)', () => {
    const [crd] = loadManifests(CRD);
    expect(dumpYaml(crd)).toContain('x-kubernetes-int-or-string: true');
    // The failure this guards against: the API server then rejects the CRD ("type: Required value").
    expect(dumpYaml(parse(CRD.replace(/^---\n/, '').replace(/---\n$/, '')))).not.toContain('x-kubernetes-int-or-string');
  });

  it('skips empty documents', () => {
    expect(loadManifests('---\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\n')).toHaveLength(1);
  });

  it('reads CRD files and refuses other kinds, naming the file', () => {
    writeFileSync(join(dir, 'thing-crd.yaml'), CRD);
    writeFileSync(join(dir, 'svc.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n');
    expect(readCrdFiles([join(dir, 'thing-crd.yaml')]).map((c) => c.metadata?.name)).toEqual(['things.example.com']);
    expect(() => readCrdFiles([join(dir, 'svc.yaml')])).toThrow(/svc\.yaml: expected a CustomResourceDefinition, found kind Service/);
  });
});

describe('API error helpers and names', () => {
  it('reads the HTTP status of an ApiException-like error', () => {
    expect(apiStatus({ code: 404 })).toBe(404);
    expect(isNotFound({ code: 404 })).toBe(true);
    expect(isAlreadyExists({ code: 409 })).toBe(true);
    expect(apiStatus(new Error('x'))).toBeUndefined();
    expect(apiStatus(null)).toBeUndefined();
  });

  it('run namespaces are rehearse-<8 hex>, valid DNS labels', () => {
    const n = runNamespaceName();
    expect(n).toMatch(/^rehearse-[0-9a-f]{8}$/);
    expect(runNamespaceName()).not.toBe(n);
  });
});
