/** List-view and title helpers on real ERPNext / Frappe DocTypes (read from ../shared/frappe-apps). */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listViewFields, parseDoctype, searchFields, standardFilters, titleOf } from '../../src/index';
import { sharedRoot } from '../helpers/paths';

const apps = path.join(sharedRoot, 'frappe-apps');
const load = (rel: string) => parseDoctype(JSON.parse(readFileSync(path.join(apps, rel), 'utf8')));

describe.skipIf(!existsSync(apps))('list helpers', () => {
  const salesOrder = () => load('erpnext/erpnext/selling/doctype/sales_order/sales_order.json');
  const todo = () => load('frappe/frappe/desk/doctype/todo/todo.json');
  const materialRequest = () => load('erpnext/erpnext/stock/doctype/material_request/material_request.json');

  it('list view: the title field first, then in_list_view fields, no status column when an indicator shows it, at most 6', () => {
    const so = salesOrder();
    expect(listViewFields(so).map((c) => c.fieldname)).toEqual(['customer_name', 'delivery_date', 'grand_total', 'per_delivered', 'per_billed']);
    expect(listViewFields(so)[0]).toMatchObject({ kind: 'subject', label: 'Customer Name' });
    expect(listViewFields(so, 3)).toHaveLength(3);
    // ToDo has a status Select: the indicator shows it, so it is not a column
    expect(listViewFields(todo()).map((c) => c.fieldname)).toEqual(['description', 'priority', 'date', 'reference_type']);
  });

  it('title: the title field, else its template filled from the document, else the name', () => {
    const mr = materialRequest();
    expect(titleOf(mr, { name: 'MAT-MR-0001', title: 'Stock for Pune' })).toBe('Stock for Pune');
    expect(titleOf(mr, { name: 'MAT-MR-0001', title: null, material_request_type: 'Purchase' })).toBe('Purchase');
    expect(titleOf(salesOrder(), { name: 'SAL-ORD-0001', customer_name: '' })).toBe('SAL-ORD-0001');
  });

  it('search fields: name, search_fields (unknown names dropped), in order', () => {
    expect(searchFields(salesOrder())).toEqual(['name', 'status', 'transaction_date', 'customer', 'customer_name', 'territory', 'order_type', 'company']);
    expect(searchFields(todo())).toEqual(['name', 'description', 'reference_type', 'reference_name']);
  });

  it('standard filters: ID (like), then in_standard_filter fields with their operator', () => {
    const f = standardFilters(todo());
    expect(f.map((x) => [x.fieldname, x.condition])).toEqual([['name', 'like'], ['status', '='], ['priority', '='], ['date', '='], ['allocated_to', '=']]);
    expect(f[1]?.options).toContain('Open');
  });
});
