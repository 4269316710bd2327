import { defineConfig } from 'tsup';

// Runtime dependencies and optional peers stay external: users dedupe them, and dist/ stays small and auditable.
const external = ['zod', 'jsep', 'toposort', 'immer', 'mitt', '@electric-sql/pglite', 'pg', 'sql.js', 'react'];
const outExtension = ({ format }: { format: string }) => ({ js: format === 'cjs' ? '.cjs' : '.js' });

export default defineConfig([
  {
    // The library: browser-first, no Node built-ins (checked by test/build/source-rules.test.ts).
    entry: { index: 'src/index.ts', testing: 'src/testing/index.ts', pglite: 'src/pglite.ts', postgres: 'src/postgres.ts', sqlite: 'src/sqlite.ts', react: 'src/react.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    platform: 'neutral',
    external,
    outExtension,
  },
  {
    // Node-only entries: the `coworker` CLI, `coworker/node` (folder loading), `coworker/testing/node` (loadApp).
    entry: { 'node/index': 'src/node/index.ts', 'node/bin': 'src/node/bin.ts', 'testing-node': 'src/testing/node.ts' },
    format: ['esm', 'cjs'],
    // src/node is excluded from the browser tsconfig; its declarations are built with Node's types.
    dts: {
      entry: { 'node/index': 'src/node/index.ts', 'testing-node': 'src/testing/node.ts' },
      compilerOptions: { types: ['node'], lib: ['ES2022', 'DOM'] },
    },
    sourcemap: true,
    clean: false,
    target: 'es2022',
    platform: 'node',
    external,
    outExtension,
  },
]);
