/**
 * The Workflow DocTypes, written by us with Frappe's names and field names (`frappe/workflow/doctype/*`), so
 * an engine knows them without Frappe's JSON. Frappe's own JSON of these DocTypes loads and works in their
 * place (the workflow layer reads only the fields below).
 *
 * @module
 */

const perms = [
  { role: 'System Manager', read: 1, write: 1, create: 1, delete: 1 },
  { role: 'Administrator', read: 1, write: 1, create: 1, delete: 1 },
];

/** `Workflow`: one per document type may be active. */
export const WORKFLOW_JSON = {
  name: 'Workflow', module: 'Workflow', autoname: 'field:workflow_name',
  fields: [
    { fieldname: 'workflow_name', label: 'Workflow Name', fieldtype: 'Data', reqd: 1, unique: 1 },
    { fieldname: 'document_type', label: 'Document Type', fieldtype: 'Link', options: 'DocType', reqd: 1 },
    { fieldname: 'is_active', label: 'Is Active', fieldtype: 'Check', default: '0' },
    { fieldname: 'override_status', label: "Don't Override Status", fieldtype: 'Check', default: '0' },
    { fieldname: 'send_email_alert', label: 'Send Email Alert', fieldtype: 'Check', default: '0' },
    { fieldname: 'states', label: 'Document States', fieldtype: 'Table', options: 'Workflow Document State' },
    { fieldname: 'transitions', label: 'Transition Rules', fieldtype: 'Table', options: 'Workflow Transition' },
    { fieldname: 'workflow_state_field', label: 'Workflow State Field', fieldtype: 'Data', reqd: 1, default: 'workflow_state' },
    { fieldname: 'workflow_data', label: 'Workflow Data', fieldtype: 'JSON', hidden: 1 },
  ],
  permissions: perms,
} as const;

/** `Workflow Document State`: a state, the docstatus it means, who may edit in it, what it sets. */
export const WORKFLOW_DOCUMENT_STATE_JSON = {
  name: 'Workflow Document State', module: 'Workflow', istable: 1,
  fields: [
    { fieldname: 'state', label: 'State', fieldtype: 'Link', options: 'Workflow State', reqd: 1, in_list_view: 1 },
    { fieldname: 'doc_status', label: 'Doc Status', fieldtype: 'Select', options: '0\n1\n2', default: '0', in_list_view: 1 },
    { fieldname: 'update_field', label: 'Update Field', fieldtype: 'Select' },
    { fieldname: 'update_value', label: 'Update Value', fieldtype: 'Data' },
    { fieldname: 'allow_edit', label: 'Only Allow Edit For', fieldtype: 'Link', options: 'Role', reqd: 1 },
    { fieldname: 'message', label: 'Message', fieldtype: 'Text' },
    { fieldname: 'is_optional_state', label: 'Is Optional State', fieldtype: 'Check', default: '0' },
    { fieldname: 'avoid_status_override', label: "Don't Override Status", fieldtype: 'Check', default: '0' },
  ],
  permissions: [],
} as const;

/** `Workflow Transition`: from `state`, by `action`, to `next_state`, for role `allowed`, when `condition`. */
export const WORKFLOW_TRANSITION_JSON = {
  name: 'Workflow Transition', module: 'Workflow', istable: 1,
  fields: [
    { fieldname: 'state', label: 'State', fieldtype: 'Link', options: 'Workflow State', reqd: 1, in_list_view: 1 },
    { fieldname: 'action', label: 'Action', fieldtype: 'Link', options: 'Workflow Action Master', reqd: 1, in_list_view: 1 },
    { fieldname: 'next_state', label: 'Next State', fieldtype: 'Link', options: 'Workflow State', reqd: 1, in_list_view: 1 },
    { fieldname: 'allowed', label: 'Allowed', fieldtype: 'Link', options: 'Role', reqd: 1, in_list_view: 1 },
    { fieldname: 'allow_self_approval', label: 'Allow Self Approval', fieldtype: 'Check', default: '1' },
    { fieldname: 'condition', label: 'Condition', fieldtype: 'Code', options: 'Python' },
  ],
  permissions: [],
} as const;

/** `Workflow State`: the names states link to. */
export const WORKFLOW_STATE_JSON = {
  name: 'Workflow State', module: 'Workflow', autoname: 'field:workflow_state_name',
  fields: [
    { fieldname: 'workflow_state_name', label: 'State', fieldtype: 'Data', reqd: 1, unique: 1 },
    { fieldname: 'icon', label: 'Icon', fieldtype: 'Data' },
    { fieldname: 'style', label: 'Style', fieldtype: 'Select', options: '\nPrimary\nInfo\nSuccess\nWarning\nDanger\nInverse' },
  ],
  permissions: perms,
} as const;

/** `Workflow Action Master`: the names actions link to. */
export const WORKFLOW_ACTION_MASTER_JSON = {
  name: 'Workflow Action Master', module: 'Workflow', autoname: 'field:workflow_action_name',
  fields: [{ fieldname: 'workflow_action_name', label: 'Workflow Action Name', fieldtype: 'Data', reqd: 1, unique: 1 }],
  permissions: perms,
} as const;

/** Every Workflow DocType, children first. */
export const WORKFLOW_DOCTYPES = Object.freeze([
  WORKFLOW_DOCUMENT_STATE_JSON, WORKFLOW_TRANSITION_JSON, WORKFLOW_STATE_JSON, WORKFLOW_ACTION_MASTER_JSON, WORKFLOW_JSON,
]);
