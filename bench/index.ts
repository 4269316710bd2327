export {};
/**
 * `npm run bench`: every benchmark, each figure printed as a ratio against a baseline measured in the same run,
 * then one summary table of every row that has a goal (issue "Speed and the package"), from this one run.
 * Pass names to run a subset: `npm run bench -- plans expressions`. How each row is measured: bench/README.md.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Modules of bench/ that are helpers, not benchmarks. */
const HELPERS = new Set(['index', 'lib', 'corpus', 'apps', 'sales-order', 'heap']);
const ORDER = ['expressions', 'rules', 'run', 'plans', 'plans-pg', 'storage', 'storage-scale', 'pyexpr', 'form'];
const found = readdirSync(here).filter((f) => f.endsWith('.ts') && !f.startsWith('dev-')).map((f) => f.slice(0, -3)).filter((n) => !HELPERS.has(n));
const all = [...ORDER.filter((n) => found.includes(n)), ...found.filter((n) => !ORDER.includes(n)).sort()];
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));

// Every line a bench prints with a goal is kept for the summary (benches print through `report` or directly).
const rows: { section: string; line: string }[] = [];
let section = '';
const log = console.log.bind(console);
console.log = (...args: unknown[]) => {
  const text = args.map(String).join(' ');
  for (const line of text.split('\n')) {
    if (line.startsWith('## ')) section = line.slice(3);
    else if (/goal/.test(line) || /^\(skipped|not set up/.test(line.trim())) rows.push({ section, line });
  }
  log(...args);
};

console.log(`coworker benchmarks, node ${process.version}, ${new Date().toISOString()}`);
for (const name of all) {
  if (wanted.length && !wanted.includes(name)) continue;
  await import(`./${name}.ts`);
}

console.log = log;
log(`\n## Summary: every row with a goal, from this run (${rows.filter((r) => /: met/.test(r.line)).length} met, ${rows.filter((r) => /NOT met/.test(r.line)).length} not met)`);
let last = '';
for (const { section: s, line } of rows) {
  if (s !== last) log(`# ${(last = s)}`);
  log(line);
}
