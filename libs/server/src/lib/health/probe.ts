export type ProbeState = 'up' | 'down';

/** Runs a dependency check with a time limit: a hung connection reads as down, not as a hang. */
export async function probe(check: () => Promise<unknown>, timeoutMs = 2000): Promise<ProbeState> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      }),
    ]);
    return 'up';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}
