// `rehearse drill` as CI meets it: the shipped suite passes and writes valid JUnit and Markdown;
// a deliberately weakened AnalysisTemplate makes the matching drill fail with the one command that
// reproduces it; results do not depend on the number of workers; bad input exits 2.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cli } from '../helpers/cli.js';


const tmp = (): string => mkdtempSync(join(tmpdir(), 'rehearse-drill-'));
afterEach(() => vi.restoreAllMocks());

// ---- a small XML well-formedness and structure check (no XML package) ----------------------
interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

function decodeEntities(s: string, where: string): string {
  return s.replace(/&([^;]*);?/g, (m, name: string) => {
    if (!m.endsWith(';')) throw new Error(`${where}: bare & in ${JSON.stringify(s.slice(0, 40))}`);
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (name in named) return named[name]!;
    const num = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(name);
    if (num) return String.fromCodePoint(num[1]!.startsWith('x') ? parseInt(num[1]!.slice(1), 16) : Number(num[1]));
    throw new Error(`${where}: unknown entity &${name};`);
  });
}

/** Parses the XML subset JUnit uses; throws on anything not well-formed. Returns the root element. */
function parseXml(xml: string): XmlElement {
  let i = 0;
  const prolog = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/.exec(xml);
  if (!prolog) throw new Error('missing XML declaration');
  i = prolog[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const NAME = /[A-Za-z_][A-Za-z0-9_.-]*/y;
  while (i < xml.length) {
    if (xml[i] === '<') {
      if (xml.startsWith('</', i)) {
        const end = xml.indexOf('>', i);
        const name = xml.slice(i + 2, end);
        const open = stack.pop();
        if (!open || open.name !== name) throw new Error(`closing </${name}> does not match <${open?.name}> at ${i}`);
        i = end + 1;
        continue;
      }
      NAME.lastIndex = i + 1;
      const m = NAME.exec(xml);
      if (!m) throw new Error(`bad tag at ${i}`);
      const el: XmlElement = { name: m[0], attrs: {}, children: [], text: '' };
      i = NAME.lastIndex;
      for (;;) {
        const a = /\s+([A-Za-z_][A-Za-z0-9_.-]*)="([^"<]*)"/y;
        a.lastIndex = i;
        const am = a.exec(xml);
        if (!am) break;
        if (am[1]! in el.attrs) throw new Error(`duplicate attribute ${am[1]}`);
        el.attrs[am[1]!] = decodeEntities(am[2]!, `attribute ${am[1]}`);
        i = a.lastIndex;
      }
      const selfClosing = xml.startsWith('/>', i);
      if (!selfClosing && xml[i] !== '>') throw new Error(`bad tag end at ${i}: ${JSON.stringify(xml.slice(i, i + 20))}`);
      i += selfClosing ? 2 : 1;
      if (stack.length > 0) stack[stack.length - 1]!.children.push(el);
      else if (root) throw new Error('more than one root element');
      else root = el;
      if (!selfClosing) stack.push(el);
    } else {
      const end = xml.indexOf('<', i) < 0 ? xml.length : xml.indexOf('<', i);
      const text = xml.slice(i, end);
      if (text.includes('>')) throw new Error(`unescaped > in text at ${i}`);
      if (stack.length === 0) {
        if (text.trim() !== '') throw new Error('text outside the root element');
      } else stack[stack.length - 1]!.text += decodeEntities(text, 'text');
      i = end;
    }
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (!root) throw new Error('no root element');
  return root;
}

describe('the XML check itself', () => {
  it('rejects what is not well-formed', () => {
    const head = '<?xml version="1.0" encoding="UTF-8"?>\n';
    expect(() => parseXml(`${head}<a><b></a></b>`)).toThrow(/does not match/);
    expect(() => parseXml(`${head}<a x="1 & 2"/>`)).toThrow(/bare &/);
    expect(() => parseXml(`${head}<a>`)).toThrow(/unclosed/);
    expect(parseXml(`${head}<a x="&lt;&amp;"><b/>t&gt;</a>\n`)).toMatchObject({ name: 'a', attrs: { x: '<&' }, text: 't>', children: [{ name: 'b' }] });
  });
});

/** JUnit's structure: testsuites > testsuite > testcase > (properties, failure?, system-out). */
function checkJUnit(xml: string): XmlElement {
  const root = parseXml(xml);
  expect(root.name).toBe('testsuites');
  let tests = 0;
  let failures = 0;
  for (const suite of root.children) {
    expect(suite.name).toBe('testsuite');
    expect(suite.attrs.name).toBeTruthy();
    const cases = suite.children.filter((c) => c.name === 'testcase');
    expect(Number(suite.attrs.tests)).toBe(cases.length);
    expect(Number(suite.attrs.failures)).toBe(cases.filter((c) => c.children.some((x) => x.name === 'failure')).length);
    for (const c of cases) {
      expect(c.attrs.name).toBeTruthy();
      expect(c.attrs.classname).toBe(suite.attrs.name);
      expect(c.children.map((x) => x.name).filter((n) => n !== 'failure')).toEqual(['properties', 'system-out']);
      for (const p of c.children[0]!.children) {
        expect(p.name).toBe('property');
        expect(Object.keys(p.attrs).sort()).toEqual(['name', 'value']);
      }
    }
    tests += cases.length;
    failures += Number(suite.attrs.failures);
  }
  expect(Number(root.attrs.tests)).toBe(tests);
  expect(Number(root.attrs.failures)).toBe(failures);
  return root;
}

const testcases = (root: XmlElement): XmlElement[] => root.children.flatMap((s) => s.children.filter((c) => c.name === 'testcase'));

describe('rehearse drill scenarios/', () => {
  it('passes, prints one row per scenario, and writes valid JUnit and Markdown', async () => {
    const dir = tmp();
    const r = await cli(['drill', 'scenarios/', '--workers', '1', '--junit', join(dir, 'drill.xml'), '--summary', join(dir, 'summary.md')]);
    expect(r.stderr.replace(/^.*warning.*$/gm, '').trim()).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^scenario +seeds +outcomes +decision p50 \/ p90 +failed requests p50 \/ max +result$/);
    expect(r.stdout).toMatch(/^canary-5xx-regression +20 +aborted 20 +\d+m\d+s \/ \d+m\d+s +[\d.]+% \/ [\d.]+% +pass$/m);
    expect(r.stdout).toMatch(/^canary-good +200 +promoted 200 +8m52s \/ 9m12s .* pass$/m);
    expect(r.stdout).toMatch(/^pause-indefinite +1 +paused 1 +not decided .* pass$/m);
    expect(r.stdout).toMatch(/\d+ scenarios, \d+ runs: \d+ held, 0 failed · 1 worker · /);

    const junit = checkJUnit(readFileSync(join(dir, 'drill.xml'), 'utf8'));
    const cases = testcases(junit);
    expect(cases.map((c) => c.attrs.name)).toContain('canary-5xx-regression');
    expect(cases.every((c) => !c.children.some((x) => x.name === 'failure'))).toBe(true);
    const five = cases.find((c) => c.attrs.name === 'canary-5xx-regression')!;
    const props = Object.fromEntries(five.children[0]!.children.map((p) => [p.attrs.name, p.attrs.value]));
    expect(props['expect.decidedBy']).toMatch(/^✓ expected a step AnalysisRun, metric success-rate, got step AnalysisRun .* metric success-rate \(held on 20 of 20 seeds\)$/);
    expect(props.reproduce).toBe('rehearse run scenarios/canary-5xx-regression.yaml --seed 42');

    const md = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(md).toMatch(/^## ✅ rehearse drill: all \d+ scenarios hold$/m);
    expect(md).toMatch(/^\| ✅ \| `canary-good` \| 200 \| promoted 200 \| 8m52s \/ 9m12s \| .* \| pass \|$/m);
  });

  it('--json gives the same results in-process and on worker threads (compiled CLI)', async () => {
    const inProcess = JSON.parse((await cli(['drill', 'scenarios/', '--seeds', '3', '--json', '--workers', '1'])).stdout) as Record<string, unknown>;
    const strip = (j: Record<string, unknown>): unknown => ({ ...j, workers: undefined, elapsedMs: undefined });
    expect(inProcess.runs).toBeGreaterThanOrEqual(18);
    if (!existsSync('dist/harness/drill/worker.js')) return; // not built: `npm run build`
    const threaded = spawnSync(process.execPath, ['bin/rehearse.js', 'drill', 'scenarios/', '--seeds', '3', '--json', '--workers', '2'], { encoding: 'utf8' });
    expect(threaded.status).toBe(0);
    const j = JSON.parse(threaded.stdout) as Record<string, unknown>;
    expect(j.workers).toBe(2);
    expect(strip(j)).toEqual(strip(inProcess));
  });
});

describe('a weakened AnalysisTemplate', () => {
  it('makes the 5xx drill fail, with the command that reproduces it exactly', async () => {
    const manifests = join(tmp(), 'checkout');
    cpSync('scenarios/manifests/checkout', manifests, { recursive: true });
    const templates = join(manifests, 'analysis-templates.yaml');
    // The change under review lowers the success-rate threshold: a 5% error canary now passes.
    writeFileSync(templates, readFileSync(templates, 'utf8').replace('successCondition: result[0] >= 0.99', 'successCondition: result[0] >= 0.9'));
    const dir = tmp();
    const r = await cli(['drill', 'scenarios/canary-5xx-regression.yaml', '--manifests', manifests, '--seeds', '2', '--workers', '1', '--junit', join(dir, 'j.xml'), '--summary', join(dir, 's.md')]);
    expect(r.code).toBe(1);
    const reproduce = `rehearse run scenarios/canary-5xx-regression.yaml --seed 42 --manifests ${manifests}`;
    expect(r.stdout).toMatch(/^canary-5xx-regression +2 +promoted 2 .* FAIL$/m);
    expect(r.stdout).toContain('✗ outcome: expected aborted, got promoted — failed on 2 of 2 seeds, first on seed 42');
    expect(r.stdout).toMatch(/✗ decidedBy: expected a step AnalysisRun, metric success-rate, got no AnalysisRun failed \(outcome promoted\)/);
    expect(r.stdout).toContain(`reproduce: ${reproduce}`);

    const junit = checkJUnit(readFileSync(join(dir, 'j.xml'), 'utf8'));
    const failure = testcases(junit)[0]!.children.find((c) => c.name === 'failure')!;
    expect(failure.attrs.message).toBe('outcome: expected aborted, got promoted');
    expect(failure.text).toContain(`reproduce: ${reproduce}`);
    const md = readFileSync(join(dir, 's.md'), 'utf8');
    expect(md).toMatch(/^## ❌ rehearse drill: 1 of 1 scenario failed$/m);
    expect(md).toContain(`\`\`\`sh\n${reproduce}\n\`\`\``);

    // The printed command reproduces the failure: same outcome, same failed expectation.
    const again = await cli(['run', 'scenarios/canary-5xx-regression.yaml', '--seed', '42', '--manifests', manifests, '--json']);
    expect(again.code).toBe(1);
    const j = JSON.parse(again.stdout) as { outcome: string; reproduce: string; expectations: { name: string; ok: boolean }[] };
    expect(j.outcome).toBe('promoted');
    expect(j.reproduce).toBe(reproduce);
    expect(j.expectations.find((x) => x.name === 'outcome')!.ok).toBe(false);
  });

  it('reads the replacement manifests from standard input with --manifests -', async () => {
    const text = readFileSync('scenarios/manifests/checkout/analysis-templates.yaml', 'utf8').replace('result[0] >= 0.99', 'result[0] >= 0.9');
    const stdin = ['rollout.yaml', 'services.yaml'].map((f) => readFileSync(`scenarios/manifests/checkout/${f}`, 'utf8')).join('\n---\n') + '\n---\n' + text;
    const r = await cli(['drill', 'scenarios/canary-5xx-regression.yaml', '--manifests', '-', '--seeds', '1', '--workers', '1'], () => stdin);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('reproduce: rehearse run scenarios/canary-5xx-regression.yaml --seed 42 --manifests -');
  });
});

describe('expectations over seeds', () => {
  const variant = (expectBlock: string): string => {
    const dir = tmp();
    const text = readFileSync('scenarios/canary-5xx-regression.yaml', 'utf8')
      .replace('manifests: [manifests/checkout]', `manifests: [${join(process.cwd(), 'scenarios/manifests/checkout')}]`)
      .replace(/ {2}expect:\n[\s\S]*$/, `  expect:\n${expectBlock}`);
    writeFileSync(join(dir, 'drill.yaml'), text);
    return join(dir, 'drill.yaml');
  };

  it('a drill that holds on some seeds only is reported as flaky, with the distribution', async () => {
    // The decision comes 2m40s–2m53s after the change depending on the seed.
    const file = variant('    within: 2m45s\n    seeds: 10\n');
    const r = await cli(['drill', file, '--workers', '1']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FLAKY \(\d\/10\)$/m);
    expect(r.stdout).toMatch(/held on \d of 10 seeds \(\d+%\), needs all — flaky: the result depends on the seed/);
    expect(r.stdout).toMatch(/✗ within: expected decided within 2m45s of the change, got decided after 2m\d+\.\d+s — failed on \d of 10 seeds, first on seed \d+/);
  });

  it('passes when enough seeds hold (atLeast), and --seed/--seeds override the scenario', async () => {
    const file = variant('    within: 2m45s\n    seeds: 10\n    atLeast: 10%\n');
    const r = await cli(['drill', file, '--workers', '1', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { scenarios: { seeds: number[]; verdict: { held: number; total: number; passed: boolean } }[] };
    expect(j.scenarios[0]!.seeds).toEqual([42, 43, 44, 45, 46, 47, 48, 49, 50, 51]);
    expect(j.scenarios[0]!.verdict.passed).toBe(true);
    const o = JSON.parse((await cli(['drill', file, '--workers', '1', '--json', '--seed', '7', '--seeds', '2'])).stdout) as { scenarios: { seeds: number[] }[] };
    expect(o.scenarios[0]!.seeds).toEqual([7, 8]);
  });
});

describe('bad input exits 2, one paragraph per problem, before anything runs', () => {
  it('paths that do not exist or are not scenarios', async () => {
    const r = await cli(['drill', 'no/such/dir', 'scenarios/manifests/checkout/rollout.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no/such/dir: error: no such file or folder.');
    expect(r.stderr).toContain('scenarios/manifests/checkout/rollout.yaml: error: not a scenario file');
    expect(r.stdout).toBe('');
  });

  it('every broken scenario is reported, with file:line:column', async () => {
    const dir = tmp();
    const good = readFileSync('scenarios/canary-good.yaml', 'utf8');
    writeFileSync(join(dir, 'a.yaml'), good.replace('outcome: promoted', 'outcome: rolledOut'));
    writeFileSync(join(dir, 'b.yaml'), good.replace('outcome: promoted', 'outcome: promoted\n    failedRequests: { max: 0.003 }'));
    const r = await cli(['drill', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/a\.yaml:\d+:\d+: error \(field spec\.expect\.outcome\): expected one of promoted/);
    expect(r.stderr).toMatch(/b\.yaml:\d+:\d+: error \(field spec\.expect\.failedRequests\.max\): .*write 0\.003 as "0\.3%"/);
  });

  it('bad options', async () => {
    expect((await cli(['drill', 'scenarios/', '--workers', '0'])).code).toBe(2);
    expect((await cli(['drill', 'scenarios/', '--seeds', '0'])).code).toBe(2);
    expect((await cli(['drill', 'scenarios/', '--manifests', 'no/such/manifests'])).code).toBe(2);
  });
});
