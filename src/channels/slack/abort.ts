// One request's signal, aborted by its own timeout signal or by the shutdown deadline. The
// listener on the long-lived shutdown signal is removed when the request ends, so that
// thousands of requests never pile listeners onto it (AbortSignal.any on a long-lived
// signal has leaked in some Node versions).
export function requestSignal(own: AbortSignal | null | undefined, shutdown: AbortSignal): { signal: AbortSignal; done(): void } {
  const controller = new AbortController();
  const abort = (): void => controller.abort(shutdown.aborted ? shutdown.reason : own?.reason);
  if (shutdown.aborted || own?.aborted) abort();
  shutdown.addEventListener('abort', abort, { once: true });
  own?.addEventListener('abort', abort, { once: true });
  return {
    signal: controller.signal,
    done() {
      shutdown.removeEventListener('abort', abort);
      own?.removeEventListener('abort', abort);
    },
  };
}

/** fetch, cut at the shutdown deadline. */
export function fetchUntil(shutdown: AbortSignal): typeof fetch {
  return async (input, init) => {
    const { signal, done } = requestSignal(init?.signal, shutdown);
    try {
      return await fetch(input, { ...init, signal });
    } finally {
      done();
    }
  };
}
