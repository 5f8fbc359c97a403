// `rehearse conform`: bad input exits 2 with one clear paragraph, before any cluster starts.
import { describe, expect, it } from 'vitest';
import { conformanceFiles } from '../../../harness/commands/conform.js';
import { cli } from '../../helpers/cli.js';

describe('rehearse conform: bad input', () => {
  it('an unknown --cluster', async () => {
    const r = await cli(['conform', 'scenarios/conformance/canary-basic-good.yaml', '--cluster', 'minikube']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--cluster: expected one of local, kind, kubeconfig, got minikube.');
  });

  it('--cluster kubeconfig without --context', async () => {
    const r = await cli(['conform', 'scenarios/conformance/', '--cluster', 'kubeconfig']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('needs --context');
  });

  it('a path that does not exist', async () => {
    const r = await cli(['conform', 'scenarios/nope.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('scenarios/nope.yaml: no such file or folder.');
  });

  it('a folder is the suite: its scenario files, sorted by name', () => {
    const files = conformanceFiles(['scenarios/conformance']);
    expect(files.length).toBeGreaterThanOrEqual(12);
    expect(files.every((f) => /scenarios\/conformance\/[a-z-]+\.yaml$/.test(f))).toBe(true);
    expect([...files].sort()).toEqual(files);
  });
});
