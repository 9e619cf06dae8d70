const SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const;

/** What `undoOnSignal` listens on: the process, or an emitter in tests. */
export interface SignalSource {
  on(signal: string, handler: () => void): unknown;
  off(signal: string, handler: () => void): unknown;
}

/**
 * Runs `fn`; if SIGINT or SIGTERM arrives meanwhile (Ctrl-C locally, a cancelled job), runs `undo`
 * once (bounded by `undoTimeoutMs`) and exits with 128 + the signal number, so an interrupted `up`
 * leaves neither a container nor an API runner behind. The handlers are removed when `fn` settles.
 * SIGKILL cannot be caught: that case is what the TTL labels and `gc` are for.
 */
export async function undoOnSignal<T>(
  undo: () => Promise<void>,
  fn: () => Promise<T>,
  {
    undoTimeoutMs = 20_000,
    proc = process,
    exit = (code: number): void => process.exit(code),
  }: { undoTimeoutMs?: number; proc?: SignalSource; exit?: (code: number) => void } = {},
): Promise<T> {
  let undoing = false;
  const handlers = Object.entries(SIGNALS).map(([signal, code]) => {
    const handler = () => {
      if (undoing) return;
      undoing = true;
      const timer = new Promise<void>((resolve) => setTimeout(resolve, undoTimeoutMs).unref());
      void Promise.race([undo().catch(() => undefined), timer]).finally(() => exit(code));
    };
    proc.on(signal, handler);
    return [signal, handler] as const;
  });
  try {
    return await fn();
  } finally {
    for (const [signal, handler] of handlers) proc.off(signal, handler);
  }
}
