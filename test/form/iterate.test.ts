/** engine.iterate(): select as an async iterator, one permission-checked select run per page. */
import { describe, expect, it } from 'vitest';
import { SelectPageError } from '../../src/index';
import { hr, leaveEngine } from './leave';

describe('engine.iterate()', () => {
  it('pages through every document in name order, one select run per page, honouring take', async () => {
    const engine = await leaveEngine(); // holds Leave Type "Casual"
    for (let i = 0; i < 24; i++) {
      const r = await engine.run({ operation: 'create', target_doctype: 'Leave Type', user: hr, input: { data: { leave_type_name: `T${String(i).padStart(2, '0')}` } } });
      expect(r.success).toBe(true);
    }
    const selectsBefore = engine.runs.query({ operation: 'select' }).length;
    const names: string[] = [];
    for await (const doc of engine.iterate({ operation: 'select', source_doctype: 'Leave Type', user: hr }, { pageSize: 10 })) names.push(String(doc.name));
    expect(names).toHaveLength(25);
    expect(names).toEqual([...names].sort());
    expect(engine.runs.query({ operation: 'select' }).length - selectsBefore).toBe(3); // 10 + 10 + 5
    const limited: string[] = [];
    for await (const doc of engine.iterate({ operation: 'select', source_doctype: 'Leave Type', user: hr, query: { take: 12, skip: 2 } }, { pageSize: 5 })) limited.push(String(doc.name));
    expect(limited).toEqual(names.slice(2, 14));
  });

  it('a page refused by permissions ends the iteration with the failed run', async () => {
    const engine = await leaveEngine();
    const nobody = { name: 'x@example.com', roles: [] };
    const it = engine.iterate({ operation: 'select', source_doctype: 'Leave Type', user: nobody });
    await expect(it.next()).rejects.toBeInstanceOf(SelectPageError);
    await expect(engine.iterate({ operation: 'select', source_doctype: 'Leave Type', user: nobody }).next())
      .rejects.toMatchObject({ run: { error: { code: 'PERMISSION_DENIED' } } });
  });
});
