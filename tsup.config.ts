import { defineConfig } from 'tsup';

// Runtime dependencies and optional peers stay external: users dedupe them, and dist/ stays small and auditable.
// Node built-ins stay external too: only the Node-only entries import them (test/build/source-rules.test.ts).
const external = ['jsep', 'toposort', 'mitt', '@electric-sql/pglite', 'pg', 'sql.js', 'react', /^node:/];
const outExtension = ({ format }: { format: string }) => ({ js: format === 'cjs' ? '.cjs' : '.js' });

export default defineConfig({
  // One build for every entry, ESM and CJS both split into shared chunks: the core exists once in the package,
  // so an error thrown through `coworker/node` is `instanceof CoworkerError` from `coworker`.
  entry: {
    index: 'src/index.ts', expr: 'src/expr/public.ts', testing: 'src/testing/index.ts', pglite: 'src/pglite.ts', postgres: 'src/postgres.ts',
    sqlite: 'src/sqlite.ts', workflow: 'src/workflow/index.ts', react: 'src/react.ts',
    // Node-only entries: the `coworker` CLI, `coworker/node` (folder loading), `coworker/testing/node` (loadApp).
    'node/index': 'src/node/index.ts', 'node/bin': 'src/node/bin.ts', 'testing-node': 'src/testing/node.ts',
  },
  format: ['esm', 'cjs'],
  splitting: true,
  // src/node is excluded from the browser tsconfig; declarations are built with Node's types for every entry.
  dts: {
    entry: {
      index: 'src/index.ts', expr: 'src/expr/public.ts', testing: 'src/testing/index.ts', pglite: 'src/pglite.ts', postgres: 'src/postgres.ts',
      sqlite: 'src/sqlite.ts', workflow: 'src/workflow/index.ts', react: 'src/react.ts', 'node/index': 'src/node/index.ts', 'testing-node': 'src/testing/node.ts',
    },
    compilerOptions: { types: ['node'], lib: ['ES2022', 'DOM'] },
  },
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  external,
  outExtension,
});
