/**
 * Waits until a count measured on the thing itself (requests recorded, events seen) has not moved for
 * `stillChecks` checks in a row, 100 ms apart: "nothing more is coming" judged by the thing, not by a
 * fixed sleep. Gives up after `timeoutMs` with the counts it saw.
 */
export async function quietPeriod(count: () => number, what: string, stillChecks = 5, timeoutMs = 15_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  const seen: number[] = [count()];
  let still = 0;
  while (still < stillChecks) {
    if (Date.now() > deadline) throw new Error(`${what} never went quiet: counts ${seen.slice(-10).join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
    const now = count();
    still = now === seen[seen.length - 1] ? still + 1 : 0;
    seen.push(now);
  }
  return seen[seen.length - 1]!;
}
