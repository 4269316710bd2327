/**
 * Node-only pieces: the `coworker` CLI and the folder loader. Nothing else in src/ may import Node built-ins;
 * everything here is a thin shell over the browser-safe lint engine (src/lint), type generator (src/typegen)
 * and run layer.
 *
 * @module
 */
export { main } from './cli';
export { EXIT, CliError, processIO } from './io';
export type { CliIO, CliWriter, CliErrorCode } from './io';
export { loadFolder, loadFolders } from './load-folder';
export type { LoadedFolder, LoadedApp, LoadFolderOptions, FolderLayout } from './load-folder';
export type { WorkflowSource } from '../lint/workflow';
