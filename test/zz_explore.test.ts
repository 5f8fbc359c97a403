import { it } from 'vitest';
import { run, rolloutYaml, analysisTemplateYaml } from '/work/main/test/helpers/sim.js';
function dump(r: any) { for (const e of r.trace) if (e.t>=60000 && (e.type === 'event' || e.type==='measurement' || e.type==='analysisRun' || e.type==='status')) console.log(e.t, e.type, e.reason ?? e.phase ?? '', e.message ?? '', e.type==='status' ? JSON.stringify({s:e.step,ph:e.phase,pc:e.pauseConditions}) : e.type==='measurement'? e.value : ''); }
const ro = rolloutYaml({ replicas: 1, canary: 'steps:\n  - setWeight: 50\n  - analysis:\n      templates: [{templateName: t}]\n  - pause: {duration: 5s}' });
it('fail', () => {
  dump(run([ro, analysisTemplateYaml('t', [{ name: 'x', fields: 'successCondition: result[0] >= 0.95', query: 'vector(0.5)' }])], { untilMs: 150000 }));
});
it('empty', () => {
  dump(run([ro, analysisTemplateYaml('t', [{ name: 'x', fields: 'successCondition: result[0] >= 0.95', query: 'http_requests_total{service="nope"}' }])], { untilMs: 150000 }));
});
it('inconclusive', () => {
  dump(run([ro, analysisTemplateYaml('t', [{ name: 'x', fields: 'successCondition: result[0] >= 0.95\nfailureCondition: result[0] < 0.5', query: 'vector(0.7)' }])], { untilMs: 150000 }));
});
