import { GroupCommit } from './group-commit';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('GroupCommit', () => {
  it('flushes a lone item at once and gathers the items that arrive meanwhile into one flush', async () => {
    const flushes: number[][] = [];
    const gates: Array<ReturnType<typeof deferred<void>>> = [];
    const group = new GroupCommit<number, string>(
      async (items) => {
        flushes.push(items);
        const gate = deferred<void>();
        gates.push(gate);
        await gate.promise;
        return items.map((item) => `stored ${item}`);
      },
      { maxWeight: 100, concurrency: 1, weigh: () => 1 },
    );
    const first = group.submit(1);
    const rest = [2, 3, 4].map((item) => group.submit(item));
    expect(flushes).toEqual([[1]]);
    gates[0].resolve();
    await expect(first).resolves.toBe('stored 1');
    await new Promise((resolve) => setImmediate(resolve));
    expect(flushes).toEqual([[1], [2, 3, 4]]);
    gates[1].resolve();
    await expect(Promise.all(rest)).resolves.toEqual(['stored 2', 'stored 3', 'stored 4']);
  });

  it('keeps a flush under its weight, lets a heavy item through alone and runs flushes side by side', async () => {
    const flushes: number[][] = [];
    const gates: Array<ReturnType<typeof deferred<void>>> = [];
    const group = new GroupCommit<number, number>(
      async (items) => {
        flushes.push(items);
        const gate = deferred<void>();
        gates.push(gate);
        await gate.promise;
        return items;
      },
      { maxWeight: 10, concurrency: 2, weigh: (item) => item },
    );
    const all = [1, 2, 3, 20, 4, 5, 6].map((item) => group.submit(item));
    // Two flushes start at once: [1] and [2], the rest waits for one of them.
    expect(flushes).toEqual([[1], [2]]);
    gates[0].resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(flushes[2]).toEqual([3]);
    gates[1].resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(flushes[3]).toEqual([20]);
    gates[2].resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(flushes[4]).toEqual([4, 5]);
    gates[3].resolve();
    gates[4].resolve();
    await new Promise((resolve) => setImmediate(resolve));
    gates[5].resolve();
    await expect(Promise.all(all)).resolves.toEqual([1, 2, 3, 20, 4, 5, 6]);
    expect(flushes[5]).toEqual([6]);
  });

  it('rejects every item of a failed flush and goes on with the next', async () => {
    let fail = true;
    const group = new GroupCommit<string, string>(
      async (items) => {
        await new Promise((resolve) => setImmediate(resolve));
        if (fail) {
          fail = false;
          throw new Error('database gone');
        }
        return items;
      },
      { maxWeight: 10, concurrency: 1, weigh: () => 1 },
    );
    const first = group.submit('a');
    const second = group.submit('b');
    await expect(first).rejects.toThrow('database gone');
    await expect(second).resolves.toBe('b');
  });
});
