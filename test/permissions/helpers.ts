/** Shared test data for the permissions layer: the fixture sales app, corpus DocTypes and small builders. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDoctype } from '../../src/schema/parse';
import type { DocType } from '../../src/schema/types';
import { fixtureDoctypes } from '../helpers/fixtures';
import { corpusRoot } from '../helpers/paths';
import type { PermissionUser } from '../../src/permissions/types';

const fixtures = fixtureDoctypes();
export const salesOrder = fixtures.get('Sales Order');
export const salesOrderItem = fixtures.get('Sales Order Item');
export const customer = fixtures.get('Customer');
export const item = fixtures.get('Item');
/** Child DocTypes of the fixture Sales Order, keyed like `Doc.children`. */
export const salesOrderChildren = { items: salesOrderItem };

/** A DocType from the shared Frappe corpus. */
export function corpusDoctype(source: string, name: string): DocType {
  return parseDoctype(JSON.parse(readFileSync(path.join(corpusRoot, source, `${name}.json`), 'utf8')));
}

/** Build a DocType from a few JSON properties (fields and permissions as Frappe's JSON writes them). */
export function doctype(json: Record<string, unknown>): DocType {
  return parseDoctype({ fields: [], permissions: [], ...json });
}

export const admin: PermissionUser = { name: 'Administrator', roles: [] };
export const guest: PermissionUser = { name: 'Guest', roles: [] };
export const salesUser: PermissionUser = { name: 'su@example.com', roles: ['Sales User'] };
export const salesManager: PermissionUser = { name: 'sm@example.com', roles: ['Sales Manager'] };
export const nobody: PermissionUser = { name: 'nobody@example.com', roles: [] };

/** A saved fixture Sales Order owned by `owner`, with two item rows. */
export function order(owner = 'su@example.com', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    doctype: 'Sales Order', name: 'SO-2024-00001', owner, docstatus: 0, customer: 'ACME', internal_margin: 12,
    items: [
      { doctype: 'Sales Order Item', name: 'r1', idx: 1, parent: 'SO-2024-00001', parenttype: 'Sales Order', parentfield: 'items', item_code: 'WIDGET', qty: 1 },
      { doctype: 'Sales Order Item', name: 'r2', idx: 2, parent: 'SO-2024-00001', parenttype: 'Sales Order', parentfield: 'items', item_code: 'GADGET', qty: 2 },
    ],
    ...extra,
  };
}
