// groupedStatement: concurrent calls share one statement, a lone call is not held back, each
// caller gets its own result, and one bad item fails only its own caller.
import { describe, expect, it } from 'vitest';
import { groupedStatement } from '../../../db/grouped-statement.ts';

/** A stand-in statement that records the batches it was given and answers each item doubled. */
function recorder(opts: { failOn?: number; delayMs?: number } = {}) {
  const batches: number[][] = [];
  const write = async (items: number[]) => {
    batches.push(items);
    await new Promise((r) => setTimeout(r, opts.delayMs ?? 5));
    if (opts.failOn !== undefined && items.includes(opts.failOn)) throw new Error(`bad item ${opts.failOn}`);
    return items.map((i) => i * 2);
  };
  return { batches, write };
}

describe('groupedStatement', () => {
  it('a lone call goes at once, alone', async () => {
    const r = recorder();
    const call = groupedStatement(r.write);
    expect(await call(21)).toBe(42);
    expect(r.batches).toEqual([[21]]);
  });

  it('calls made while a statement is in flight go together in the next, each with its own result', async () => {
    const r = recorder({ delayMs: 20 });
    const call = groupedStatement(r.write);
    const first = call(1);
    await new Promise((res) => setTimeout(res, 5));
    const rest = [2, 3, 4, 5].map((i) => call(i));
    expect(await Promise.all([first, ...rest])).toEqual([2, 4, 6, 8, 10]);
    expect(r.batches).toEqual([[1], [2, 3, 4, 5]]);
  });

  it('calls of the same tick share the first statement', async () => {
    const r = recorder();
    const call = groupedStatement(r.write);
    expect(await Promise.all([7, 8, 9].map((i) => call(i)))).toEqual([14, 16, 18]);
    expect(r.batches).toEqual([[7, 8, 9]]);
  });

  it('no statement carries more than maxBatch items', async () => {
    const r = recorder();
    const call = groupedStatement(r.write, { maxBatch: 2 });
    await Promise.all([1, 2, 3, 4, 5].map((i) => call(i)));
    expect(r.batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('a shared statement that fails is tried item by item: only the bad item’s caller gets the error', async () => {
    const r = recorder({ failOn: 3 });
    const call = groupedStatement(r.write);
    const results = await Promise.allSettled([1, 2, 3, 4].map((i) => call(i)));
    expect(results.map((x) => (x.status === 'fulfilled' ? x.value : (x.reason as Error).message))).toEqual([2, 4, 'bad item 3', 8]);
    expect(r.batches[0]).toEqual([1, 2, 3, 4]);
    expect(r.batches.slice(1).sort((a, b) => a[0]! - b[0]!)).toEqual([[1], [2], [3], [4]]);
  });

  it('keeps working after a failure', async () => {
    const r = recorder({ failOn: 1 });
    const call = groupedStatement(r.write);
    await expect(call(1)).rejects.toThrow('bad item 1');
    expect(await call(2)).toBe(4);
  });
});
