// Prints the plain closing line CI reads ("N passed, N failed, N skipped") from vitest's JSON report.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'test-results/vitest.json';
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch {
  console.error(`no test report at ${file}: the test run did not finish`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
// A test file that failed to load holds no failed test, but it is a failure all the same.
const brokenFiles = (report.testResults ?? []).filter(
  (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'),
).length;
const failed = (report.numFailedTests ?? 0) + brokenFiles;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
// The differential suite against real Frappe (test/oracle) is counted above; say whether it ran, so that its
// absence (no FRAPPE_ORACLE, or a failed oracle setup) is never silent.
const oracle = (report.testResults ?? []).filter((f) => /[\\/]test[\\/]oracle[\\/].*\.oracle\.test\.ts$/.test(f.name ?? ''))
  .flatMap((f) => f.assertionResults ?? [])
  .filter((a) => (a.ancestorTitles ?? []).some((t) => t.startsWith('Frappe v15 oracle')));
const ran = oracle.filter((a) => a.status === 'passed' || a.status === 'failed');
console.log(ran.length
  ? `oracle (real Frappe v15): ${ran.filter((a) => a.status === 'passed').length} passed, ${ran.filter((a) => a.status === 'failed').length} failed`
  : 'oracle (real Frappe v15): NOT RUN (FRAPPE_ORACLE is not 1: the oracle is not set up here)');
console.log(`${report.numPassedTests ?? 0} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || !report.numPassedTests ? 1 : 0);
