/**
 * Lead -> Opportunity -> Quotation as a stored template on the real ERPNext DocTypes (frappe + erpnext loaded
 * together), on memory (the whole bench) and on PGlite (the DocTypes the flow touches: preparing all 779 tables
 * takes PGlite about 90 s), run by a Sales User's agent, traced back from the Quotation to the template.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createFlowEngine, FLOW_TEMPLATE, type FlowEngine } from '../../src/flow/index';
import { pgliteAdapter } from '../../src/pglite';
import { createRegistry } from '../../src/schema/registry';
import { memoryAdapter } from '../../src/storage/memory';
import { generateFernetKey } from '../../src/crypto/fernet';
import type { StorageAdapter } from '../../src/storage/types';
import { benchDoctypes, benchSubset, CLERK, CRM_DOCTYPES, LEAD_TO_QUOTATION, QUOTATION_RULES, SALES, seedCrm } from './bench';

const ADMIN = { name: 'Administrator', roles: [] as string[] };
/** The bench's User DocType has Password fields: persistent storage keeps them encrypted. */
const KEY = generateFernetKey();

const setups: [string, () => { adapter: StorageAdapter; doctypes: unknown[] }][] = [
  ['memory, whole bench', () => ({ adapter: memoryAdapter(), doctypes: benchDoctypes() })],
  ['PGlite', () => ({ adapter: pgliteAdapter({}), doctypes: benchSubset(CRM_DOCTYPES) })],
];

describe.each(setups)('Lead -> Opportunity -> Quotation (%s)', (_, setup) => {
  let engine: FlowEngine;

  const make = async () => {
    const { adapter, doctypes } = setup();
    engine = createFlowEngine({ registry: createRegistry(doctypes), adapter, user: ADMIN, storeRuns: true, rules: QUOTATION_RULES as never, encryptionKey: KEY });
    await engine.ready();
    await seedCrm(adapter);
    return engine;
  };

  beforeAll(make, 120_000);

  it('a stored template, run by a Sales User\'s agent, writes all three documents and traces back to the template', async () => {
    expect((await engine.run({ operation: 'create', target_doctype: FLOW_TEMPLATE, input: { data: LEAD_TO_QUOTATION }, user: SALES })).error?.code).toBe('PERMISSION_DENIED');
    const saved = await engine.run({ operation: 'create', target_doctype: FLOW_TEMPLATE, input: { data: LEAD_TO_QUOTATION } });
    expect(saved.error).toBeNull();

    const r = await engine.run({
      operation: 'flow', flow_type: 'workflow', user: SALES, agent: 'crm-assistant',
      input: { template: 'Lead to Quotation', data: { first_name: 'Zoe', company: 'Zeta GmbH', email: 'zoe@zeta.example', amount: 1200, qty: 3 } },
    });
    expect(r.error).toBeNull();
    const steps = (r.output!.meta as { steps: { step_id: string; status: string; docname: string }[] }).steps;
    expect(steps.map((s) => [s.step_id, s.status])).toEqual([['lead', 'completed'], ['opportunity', 'completed'], ['quotation', 'completed'], ['quoted', 'completed']]);
    const [lead, opportunity, quotation] = steps.map((s) => s.docname);
    expect(lead).toMatch(/^CRM-LEAD-/);

    const get = async (doctype: string, name: string) => (await engine.run({ operation: 'takeone', source_doctype: doctype, input: { data: { name: name! } } })).output!.data[0]!;
    expect(await get('Lead', lead!)).toMatchObject({ first_name: 'Zoe', company_name: 'Zeta GmbH', lead_owner: SALES.name, owner: SALES.name });
    expect(await get('Opportunity', opportunity!)).toMatchObject({ opportunity_from: 'Lead', party_name: lead, opportunity_amount: 1200, status: 'Quotation' });
    const q = await get('Quotation', quotation!);
    expect(q).toMatchObject({ quotation_to: 'Lead', party_name: lead, company: 'Acme Ltd', price_list_currency: 'EUR', docstatus: 0 });
    expect((q.items as Record<string, unknown>[])[0]).toMatchObject({ item_code: 'WIDGET', qty: 3, conversion_factor: 1 });

    // Every step ran as the Sales User's agent, inside the flow.
    for (const id of r.child_run_ids) expect(engine.runs.get(id)).toMatchObject({ owner: SALES.name, agent: 'crm-assistant', flow_id: r.name, flow_type: 'workflow', parent_run_id: r.name });

    // From the stored Quotation back to the step run, the flow and the template.
    const trace = await engine.trace('Quotation', quotation!);
    expect(trace.created).toMatchObject({ operation: 'create', step_id: 'quotation', flow_id: r.name, owner: SALES.name, agent: 'crm-assistant' });
    expect(trace.step?.name).toBe(r.child_run_ids[2]);
    expect(trace.flow).toMatchObject({ name: r.name, operation: 'flow', status: 'completed' });
    expect(trace.state).toMatchObject({ name: r.name, template: 'Lead to Quotation', status: 'completed', owner: SALES.name });
    expect(trace.template).toMatchObject({ name: 'Lead to Quotation', flow_type: 'workflow' });
    const opportunityTrace = await engine.trace('Opportunity', opportunity!);
    expect(opportunityTrace.runs.map((x) => x.step_id)).toEqual(['opportunity', 'quoted']);
  }, 60_000);

  it('a user without the rights is refused at the first step; nothing is written', async () => {
    const leads = await engine.adapter.count('Lead');
    const r = await engine.run({ operation: 'flow', user: CLERK, agent: 'crm-assistant', input: { template: 'Lead to Quotation', data: { first_name: 'X', company: 'Y', email: 'x@y.example', amount: 1, qty: 1 } } });
    expect(r.error?.code).toBe('PERMISSION_DENIED');
    expect(r.error?.message).toContain('Flow stopped at step "lead"');
    expect((r.output!.meta as { steps: { status: string }[] }).steps.map((s) => s.status)).toEqual(['failed', 'not_run', 'not_run', 'not_run']);
    expect(await engine.adapter.count('Lead')).toBe(leads);
  }, 60_000);
});
