/**
 * Gathers items submitted while a flush is running and hands them to the next flush together:
 * a group commit. Under load many items share one flush (and its round trips and commit); an
 * item submitted to an idle group is flushed at once, so a lone item waits for nothing. At most
 * `concurrency` flushes run at once, each with at most `maxWeight` (by `weigh`) unless one item
 * alone weighs more. `flush` answers one result per item, in order; if it throws, every item of
 * that flush is rejected with the error.
 */
export class GroupCommit<T, R> {
  private readonly waiting: Array<{
    item: T;
    resolve: (result: R) => void;
    reject: (error: unknown) => void;
  }> = [];
  private running = 0;

  constructor(
    private readonly flush: (items: T[]) => Promise<R[]>,
    private readonly options: {
      maxWeight: number;
      concurrency: number;
      weigh: (item: T) => number;
    },
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.next();
    });
  }

  private next(): void {
    while (this.running < this.options.concurrency && this.waiting.length > 0) {
      let weight = 0;
      let count = 0;
      while (count < this.waiting.length) {
        const itemWeight = this.options.weigh(this.waiting[count].item);
        if (count > 0 && weight + itemWeight > this.options.maxWeight) break;
        weight += itemWeight;
        count += 1;
      }
      const group = this.waiting.splice(0, count);
      this.running += 1;
      void this.flush(group.map((entry) => entry.item))
        .then(
          (results) => group.forEach((entry, index) => entry.resolve(results[index])),
          (error: unknown) => group.forEach((entry) => entry.reject(error)),
        )
        .finally(() => {
          this.running -= 1;
          this.next();
        });
    }
  }
}
