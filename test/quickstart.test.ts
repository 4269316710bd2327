/**
 * `npm start` works, and keeps its promise: a second run finds the first run's documents in the embedded
 * store (PGlite in a folder) and the naming series carries on.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from './helpers/paths';

const start = (dataDir: string) =>
  spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'examples/quickstart.ts'], {
    cwd: repoRoot, encoding: 'utf8', env: { ...process.env, COWORKER_DATA_DIR: dataDir }, timeout: 120_000,
  });

describe('npm start (examples/quickstart.ts)', () => {
  it('runs the lifecycle, and a second run finds the first run\'s documents', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'coworker-start-'));
    try {
      const first = start(path.join(dir, 'data'));
      expect(first.status, first.stderr).toBe(0);
      expect(first.stdout).toContain('No documents yet');
      expect(first.stdout).toMatch(/OK +Save the accumulated edit/);
      expect(first.stdout).toMatch(/REFUSED A Sales User may not submit\n.*\n +PERMISSION_DENIED/);
      expect(first.stdout).toContain('TIMESTAMP_MISMATCH');
      expect(first.stdout).toMatch(/SO-\d{4}-00001-1 docstatus=0/);
      expect(first.stdout).not.toMatch(/INTERNAL/);
      const second = start(path.join(dir, 'data'));
      expect(second.status, second.stderr).toBe(0);
      expect(second.stdout).toMatch(/Found 2 Sales Order\(s\) from earlier runs: SO-\d{4}-00001, SO-\d{4}-00001-1/);
      expect(second.stdout).toMatch(/SO-\d{4}-00002 docstatus=0/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
