/** Tree DocTypes on the memory adapter (cases.ts). */
import { describe } from 'vitest';
import { memoryAdapter } from '../../src/storage/memory';
import { treeCases } from './cases';

describe('tree DocTypes on memory', () => treeCases(async () => ({ adapter: memoryAdapter() })));
