/**
 * The controllers of erpnext-lite, keyed as `createEngine({ controllers })` takes them.
 */
import type { Controllers } from '../../../src/index';
import { glEntry, journalEntry } from './journal-entry';
import { account, costCenter, customer, warehouse } from './masters';
import { materialRequest } from './material-request';
import { salesInvoice, salesOrder } from './selling';

export const erpnextControllers: Controllers = {
  'Sales Order': salesOrder,
  'Sales Invoice': salesInvoice,
  'Journal Entry': journalEntry,
  'GL Entry': glEntry,
  'Material Request': materialRequest,
  Account: account,
  'Cost Center': costCenter,
  Warehouse: warehouse,
  Customer: customer,
};
