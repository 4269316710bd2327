/** Folders the testing-helper tests load. */
import path from 'node:path';
import { corpusRoot, repoRoot } from '../helpers/paths';

/** The Frappe-app-shaped fixture written for the worked example (`<app>/<module>/doctype/<snake>/<snake>.json`). */
export const leaveApp = path.join(repoRoot, 'fixtures', 'testing-app', 'leave_app');
/** A flat folder of DocType JSON (the quickstart's sales app). */
export const flatSalesApp = path.join(repoRoot, 'fixtures', 'doctypes');
/** Real Frappe JSON, flat; its User DocType has child tables that are not in the folder. */
export const frappeCurrent = path.join(corpusRoot, 'frappe-current');
/** Files that do not load (invalid JSON, unknown fieldtype...). */
export const lintBad = path.join(repoRoot, 'fixtures', 'lint-bad');
