export {};
/**
 * `npm run bench`: every benchmark, each printed as ratios against a baseline measured in the same run.
 * Pass names to run a subset: `npm run bench -- expressions`.
 */
const all = ['expressions', 'rules', 'run', 'storage', 'pyexpr', 'form', 'rename', 'tree', 'history'] as const;
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
console.log(`coworker benchmarks, node ${process.version}, ${new Date().toISOString()}`);
for (const name of all) {
  if (wanted.length && !wanted.includes(name)) continue;
  await import(`./${name}.ts`);
}
