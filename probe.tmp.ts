import { loadFolder } from './src/node/load-folder';
import { lintRegistry } from './src/lint/lint';
import { compileRules } from './src/rules/compile';
import { createRegistry } from './src/schema/registry';
const all: unknown[] = [];
for (const app of ['frappe','erpnext','hrms']) {
  const l = await loadFolder('/work/shared/frappe-apps/'+app);
  console.log(app, l.layout, l.registry.list().length, l.findings.length, l.findings.slice(0,5).map(f=>f.code+' '+f.file+' '+f.message));
  for (const d of l.registry.list()) all.push(d);
}
const reg = createRegistry(all);
console.log('total', reg.list().length, 'check errors', reg.check().filter(d=>d.severity==='error').length);
let t = performance.now();
let cyc = 0;
for (const d of reg.list()) { try { compileRules(d, reg); } catch (e) { cyc++; console.log(String(e)); } }
console.log('compile ms', performance.now()-t, 'cycles', cyc);
t = performance.now();
const f = lintRegistry(reg);
console.log('lint ms', performance.now()-t, f.length);
const by: Record<string, number> = {};
for (const x of f) by[x.code+'/'+x.severity] = (by[x.code+'/'+x.severity]??0)+1;
console.log(by);
