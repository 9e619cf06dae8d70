const SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * Runs `fn`; if SIGINT or SIGTERM arrives meanwhile (Ctrl-C locally, a cancelled job), runs `undo`
 * once (bounded by `undoTimeoutMs`) and exits with 128 + the signal number, so an interrupted `up`
 * leaves neither a container nor an API runner behind. The handlers are removed when `fn` settles.
 * SIGKILL cannot be caught: that case is what the TTL labels and `gc` are for.
 */
export async function undoOnSignal<T>(
  undo: () => Promise<void>,
  fn: () => Promise<T>,
  undoTimeoutMs = 20_000,
): Promise<T> {
  let undoing = false;
  const handlers = Object.entries(SIGNALS).map(([signal, code]) => {
    const handler = () => {
      if (undoing) return;
      undoing = true;
      const timer = new Promise<void>((resolve) => setTimeout(resolve, undoTimeoutMs).unref());
      void Promise.race([undo().catch(() => undefined), timer]).finally(() => process.exit(code));
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  try {
    return await fn();
  } finally {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  }
}
