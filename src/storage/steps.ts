/**
 * The steps a write reports to a step hook (`begin`, `parent`, one `row` per child row, `commit`), shared by the
 * adapters that report them, so every adapter numbers and shapes them alike (`withFaults` relies on it).
 *
 * @module
 */
import type { StepHook, WriteOp, WriteStep } from './types';

/** Reports the steps of one write; adapters extend it with what their write does. */
export class WriteSteps {
  private rowSteps = 0;

  /**
   * @param hook - the step hook, if any
   * @param op - the write
   * @param doctype - its DocType
   * @param name - its document ('' for a bulk write)
   */
  constructor(
    private readonly hook: StepHook | undefined,
    private readonly op: WriteOp,
    private readonly doctype: string,
    private readonly name: string,
  ) {}

  /** Report a step of the document itself. */
  step(kind: 'begin' | 'parent' | 'commit'): void {
    this.hook?.({ kind, op: this.op, doctype: this.doctype, name: this.name });
  }

  /** Report a child row written or deleted (numbered from 0 within the write). */
  rowStep(childDoctype: string, row: string, action: 'put' | 'delete'): void {
    const step: WriteStep = { kind: 'row', op: this.op, doctype: this.doctype, name: this.name, childDoctype, row, action, index: this.rowSteps++ };
    this.hook?.(step);
  }
}
