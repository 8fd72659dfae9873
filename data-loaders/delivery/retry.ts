// Retrying a delivery: three more attempts after the first, with exponential backoff (base, 2·base, 4·base), only for
// failures that may pass (server errors, rate limits, connection errors — the caller's `isRetryable` says which).
// `sleep` is a parameter so tests need not wait.

export interface RetryOptions {
  retries?: number;
  /** The first wait, in ms; each next one doubles. */
  baseMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Called before each wait with the attempt that failed (1-based) and the error. */
  onRetry?: (attempt: number, error: unknown, waitMs: number) => void;
}

export const sleep = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));

export async function withRetry<T>(attempt: () => Promise<T>, isRetryable: (error: unknown) => boolean, {retries = 3, baseMs = 500, sleep: wait = sleep, onRetry}: RetryOptions = {}): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (i >= retries || !isRetryable(error)) throw error;
      const ms = baseMs * 2 ** i;
      onRetry?.(i + 1, error, ms);
      await wait(ms);
    }
  }
}

/** The HTTP statuses worth another attempt: 5xx and 429. Other 4xx will fail the same way again. */
export function retryableStatus(status: number): boolean {
  return status >= 500 || status === 429;
}
