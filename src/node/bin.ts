#!/usr/bin/env node
/**
 * The `coworker` executable: runs {@link main} on the process's arguments and streams and sets the exit code
 * (never `process.exit`, so pending output is flushed).
 *
 * @module
 */
import { main } from './cli';
import { processIO } from './io';

void main(process.argv.slice(2), processIO()).then((code) => {
  process.exitCode = code;
});
