/** `listQuery` on its own: the storage queries it builds, and its limits. */
import { describe, expect, it } from 'vitest';
import { listQuery, MAX_IN_VALUES } from '../../src/run/list-args';
import { parseDoctype } from '../../src/schema/parse';
import { LIST_ORDER_JSON, LIST_ROW_JSON } from '../storage/list-cases';

const ROW = parseDoctype(LIST_ROW_JSON);
const ORDER = parseDoctype(LIST_ORDER_JSON);
const env = (names: string[] = []) => ({ child: (n: string) => (n === ROW.name ? ROW : undefined), resolve: async () => names });

describe('listQuery', () => {
  it('spells Frappe\'s ifnull out as explicit null conditions', async () => {
    expect((await listQuery(ORDER, { filters: { customer: ['!=', ''] } }, env())).where).toEqual({ AND: [{ customer: { not: '' } }, { customer: { not: null } }] });
    expect((await listQuery(ORDER, { filters: { posting_date: ['<', '2024-01-31'] } }, env())).where).toEqual({ OR: [{ posting_date: { lt: '2024-01-31' } }, { posting_date: null }] });
    expect((await listQuery(ORDER, { filters: { customer: ['like', '%ac%'] } }, env())).where).toEqual({ customer: { contains: 'ac', mode: 'insensitive' } });
  });

  it('refuses a date filter that is not a real date or time (PostgreSQL under Frappe: DatetimeFieldOverflow)', async () => {
    for (const v of ['2024-02-30', '2024-13-01', '2024-01-15 25:00:00', '2024-01-15 10:60']) {
      await expect(listQuery(ORDER, { filters: { posting_date: ['>', v] } }, env()), v).rejects.toMatchObject({ code: 'INVALID_RUN' });
    }
    expect((await listQuery(ORDER, { filters: { posting_date: ['>', '2024-02-29'] } }, env())).where).toEqual({ posting_date: { gt: '2024-02-29' } });
  });

  it('defaults: name only, the DocType\'s sort (modified desc), no limit', async () => {
    expect(await listQuery(ORDER, { filters: {} }, env())).toEqual({ orderBy: [{ modified: 'desc' }], fields: ['name'] });
    const sorted = parseDoctype({ ...LIST_ORDER_JSON, sort_field: 'title', sort_order: 'ASC' });
    expect((await listQuery(sorted, { limit_page_length: 0 }, env())).orderBy).toEqual([{ title: 'asc' }]);
  });

  it('refuses a child-table filter that selects more documents than an IN list may hold', async () => {
    const many = Array.from({ length: MAX_IN_VALUES + 1 }, (_, i) => `SO-${i}`);
    await expect(listQuery(ORDER, { filters: { item: 'X' } }, env(many))).rejects.toMatchObject({ code: 'LIST_UNSUPPORTED' });
    expect((await listQuery(ORDER, { filters: { item: 'X' } }, env(['A', 'A', 'B']))).where).toEqual({ name: { in: ['A', 'B'] } });
  });

  it('checks read access to every filtered and sorted field', async () => {
    const canRead = (_dt: unknown, f: string) => f !== 'amount';
    await expect(listQuery(ORDER, { filters: { amount: ['>', 1] } }, { ...env(), canRead })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    await expect(listQuery(ORDER, { order_by: 'amount desc' }, { ...env(), canRead })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    await expect(listQuery(ORDER, { fields: ['amount'] }, { ...env(), canRead })).resolves.toMatchObject({ fields: ['amount'] });
  });
});
