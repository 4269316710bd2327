/**
 * The storage layer: a small typed adapter interface, the in-memory reference adapter, and the pieces SQL
 * adapters reuse so they behave identically (table shapes, document splitting, query planning).
 *
 * Terms: a *table* holds the rows of one DocType; a *document* is a parent row with each Table field
 * holding its child rows (ordered by `idx`); a *plan* is a validated query; a *step* is one part of a
 * write (`begin`, `parent`, `row`, `commit`) that fault injection can fail.
 *
 * @module
 */
export { memoryAdapter } from './memory';
export type { MemoryAdapterOptions } from './memory';
export { withFaults } from './faults';
export { getMany } from './many';
export { updateWhere } from './update-where';
export { setStoredValues } from './set-values';
export type { FaultPlan, FaultyAdapter } from './faults';
export { StorageError, STORAGE_ERROR_EXC } from './errors';
export type { StorageErrorCode, StorageErrorDetails } from './errors';
export { tableSchema } from './columns';
export type { Column, ColumnKind, ChildTable, TableSchema } from './columns';
export { planQuery, planWhere, planProjection } from './query';
export type { Condition, Projection, QueryPlan, SortKey } from './query';
export { matches, rowComparator, compareText } from './match';
export { splitDocument, storedRow } from './rows';
export type { SplitDocument, StoredRow } from './rows';
export type {
  FieldFilter, GetOptions, OrderBy, Query, RowValues, Scalar, SortOrder, StepHook, StorageAdapter, StorageCapability,
  StorageSession, TransactionOptions, Where, WriteOp, WriteStep,
} from './types';
