/**
 * Types for `expect(...).toBeMandatory(...)` and the other coworker matchers in vitest: include this file
 * (tsconfig `include`, or `/// <reference path=...>`), or copy the three lines below into a `.d.ts` of your
 * own with the import from `coworker/testing`.
 */
import type { CoworkerMatchers } from './matchers';

declare module 'vitest' {
  interface Matchers<T = any> extends CoworkerMatchers<T> {}
}
