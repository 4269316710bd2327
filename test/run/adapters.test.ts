/**
 * Operations routed to named service adapters. The "payment service" here is a real in-process component
 * (it keeps accounts and charges them), not a mock of the engine.
 */
import { describe, expect, it } from 'vitest';
import type { AdapterRequest, ServiceAdapter } from '../../src/run/types';
import { appEngine, ADMIN, SALES_USER, SYSTEM_MANAGER } from './helpers';

/** A tiny payment provider: balances per account, charges fail on insufficient funds. */
function paymentService(name: string, opts: Partial<ServiceAdapter> = {}) {
  const balances = new Map<string, number>([['acme', 100]]);
  const calls: AdapterRequest[] = [];
  const adapter: ServiceAdapter = {
    name,
    operations: ['charge', 'create'],
    async handle(req) {
      calls.push(req);
      const data = req.input?.data ?? {};
      const account = String(data.account ?? 'acme');
      const amount = Number(data.amount ?? 0);
      const balance = balances.get(account) ?? 0;
      if (amount > balance) throw new Error(`insufficient funds on ${account}`);
      balances.set(account, balance - amount);
      return { data: [{ account, charged: amount, balance: balance - amount, via: name, currency: req.config.currency }] };
    },
    ...opts,
  };
  return { adapter, balances, calls };
}

describe('service adapters', () => {
  it('routes explicit > per-operation default > engine default > built-in > NO_ADAPTER', async () => {
    const a = paymentService('pay-a', { config: { currency: 'EUR' } });
    const b = paymentService('pay-b', { config: { currency: 'USD' } });
    const c = paymentService('pay-c', { config: { currency: 'GBP' } });
    const engine = appEngine({
      user: SYSTEM_MANAGER, adapters: [a.adapter, b.adapter, c.adapter],
      operationAdapters: { charge: 'pay-b' }, defaultAdapter: 'pay-c',
      operations: { refund: { handle: () => ({ data: [{ refunded: true }] }) } },
    });
    const explicit = await engine.run({ operation: 'charge', input: { data: { amount: 10 } }, options: { adapter: 'pay-a' } });
    expect(explicit.output!.data[0]).toMatchObject({ via: 'pay-a', currency: 'EUR', balance: 90 });
    const perOp = await engine.run({ operation: 'charge', input: { data: { amount: 10 } } });
    expect(perOp.output!.data[0]).toMatchObject({ via: 'pay-b', currency: 'USD' });
    // The engine default serves `create` (it lists it), ahead of the built-in.
    const byDefault = await engine.run({ operation: 'create', target_doctype: 'ToDo', input: { data: { amount: 5 } } });
    expect(byDefault.output!.data[0]).toMatchObject({ via: 'pay-c' });
    expect(await engine.adapter.count('ToDo')).toBe(0);
    // pay-c does not serve select: the built-in does.
    expect((await engine.run({ operation: 'select', from: 'ToDo' })).success).toBe(true);
    // A custom operation no adapter serves runs its code.
    expect((await engine.run({ operation: 'refund' })).output!.data[0]).toEqual({ refunded: true });
    // Missing or non-serving named adapters are clear errors.
    expect((await engine.run({ operation: 'charge', options: { adapter: 'nope' } })).error?.code).toBe('NO_ADAPTER');
    expect((await engine.run({ operation: 'select', from: 'ToDo', options: { adapter: 'pay-a' } })).error?.code).toBe('NO_ADAPTER');
    const bare = appEngine({ adapters: [a.adapter] });
    expect((await bare.run({ operation: 'select', from: 'ToDo', options: { adapter: 'pay-a' } })).error?.code).toBe('NO_ADAPTER');
    // An adapter's own failure fails the run, with the cause in the message.
    const broke = await engine.run({ operation: 'charge', input: { data: { amount: 1000 } } });
    expect(broke.error).toMatchObject({ code: 'INTERNAL' });
    expect(broke.error!.message).toContain('insufficient funds');
  });

  it('enforces the roles allowed to call an adapter (Administrator always may)', async () => {
    const svc = paymentService('pay', { roles: ['Accounts Manager'] });
    const engine = appEngine({ adapters: [svc.adapter], operationAdapters: { charge: 'pay' } });
    const denied = await engine.run({ operation: 'charge', input: { data: { amount: 1 } }, user: SALES_USER, agent: 'assistant-1' });
    expect(denied.error?.code).toBe('ADAPTER_FORBIDDEN');
    expect(svc.calls).toHaveLength(0);
    expect((await engine.run({ operation: 'charge', input: { data: { amount: 1 } }, user: { name: 'acc@x.com', roles: ['Accounts Manager'] } })).success).toBe(true);
    expect((await engine.run({ operation: 'charge', input: { data: { amount: 1 } }, user: ADMIN })).success).toBe(true);
  });

  it('enforces the rate limit per window of the engine clock', async () => {
    let now = Date.parse('2024-03-05T10:00:00Z');
    const svc = paymentService('pay', { rate_limit: { limit: 2, interval_ms: 1000 } });
    const engine = appEngine({ adapters: [svc.adapter], operationAdapters: { charge: 'pay' }, clock: () => new Date(now) });
    const run = () => engine.run({ operation: 'charge', input: { data: { amount: 1 } } });
    expect((await run()).success).toBe(true);
    expect((await run()).success).toBe(true);
    expect((await run()).error?.code).toBe('RATE_LIMITED');
    now += 1000;
    expect((await run()).success).toBe(true);
    expect(svc.calls).toHaveLength(3);
  });

  it('enforces the timeout', async () => {
    const slow: ServiceAdapter = {
      name: 'slow', timeout: 20,
      handle: (req) => new Promise((resolve) => setTimeout(() => resolve({ data: [{ late: true, aborted: req.signal.aborted }] }), 200)),
    };
    const engine = appEngine({ adapters: [slow] });
    const r = await engine.run({ operation: 'select', from: 'ToDo', options: { adapter: 'slow' } });
    expect(r.error?.code).toBe('ADAPTER_TIMEOUT');
  });

  it('reads configuration from a document (data only), merged under the static config', async () => {
    const svc = paymentService('pay', { configFrom: { doctype: 'ToDo', name: 'PAYCONF' }, config: { currency: 'CHF' } });
    const engine = appEngine({ adapters: [svc.adapter], operationAdapters: { charge: 'pay' }, user: ADMIN });
    expect((await engine.run({ operation: 'charge', input: { data: { amount: 1 } } })).error?.code).toBe('NO_ADAPTER');
    await engine.ready();
    await engine.adapter.insert('ToDo', { name: 'PAYCONF', description: 'endpoint=https://pay.example', status: 'Open' });
    const r = await engine.run({ operation: 'charge', input: { data: { amount: 1 } } });
    expect(r.success).toBe(true);
    expect(svc.calls[0]!.config).toMatchObject({ description: 'endpoint=https://pay.example', currency: 'CHF' });
  });
});
