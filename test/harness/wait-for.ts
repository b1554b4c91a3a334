/**
 * Waiting for a condition with a deadline: the only way tests synchronise with asynchronous work.
 * Polls `probe` until it returns a value that is not `undefined`/`false`, or fails with `what`.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  { timeoutMs = 10_000, intervalMs = 10 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = null;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`, { cause: lastError ?? undefined });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
