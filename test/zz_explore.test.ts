import { it } from 'vitest';
import { run, rolloutYaml, analysisTemplateYaml, ofType, events } from '/work/main/test/helpers/sim.js';
it('det', () => {
  const a = run([rolloutYaml({ replicas: 4, canary: 'steps:\n  - setWeight: 25\n  - pause: {duration: 5m}\n  - setWeight: 50\n  - pause: {duration: 1m}' })], { untilMs: 900000, rps: 20 });
  const b = run([rolloutYaml({ replicas: 4, canary: 'steps:\n  - setWeight: 25\n  - analysis: {templates: [{templateName: ok}]}\n  - setWeight: 50\n  - pause: {duration: 1m}' }), analysisTemplateYaml('ok', [{name: 'always', fields: 'interval: 5m\ncount: 2\nsuccessCondition: result[0] >= 0', query: 'vector(1)'}])], { untilMs: 900000, rps: 20 });
  console.log(events(a, 60000).map(e=>e.t+' '+e.reason+' '+e.message).join('\n'));
  console.log(events(b, 60000).map(e=>e.t+' '+e.reason+' '+e.message).join('\n'));
  const ta = JSON.stringify(ofType(a, 'traffic')), tb = JSON.stringify(ofType(b, 'traffic'));
  console.log(ta === tb, ta.length, ofType(a,'traffic').slice(20,30));
});
