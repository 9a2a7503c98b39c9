// One deadline for the whole process's shutdown. On SIGTERM the clock starts: in-flight
// turns and deliveries have until the cut (the deadline minus a short grace) to finish, at
// the cut `signal` aborts — outbound calls and their retries stop, drains stop waiting —
// and at the deadline the process exits 0 whatever upstream does. Channels receive `signal`
// at construction and plug it into their own HTTP clients.
export class ShutdownDeadline {
  readonly #cut = new AbortController();
  #started = false;

  /** @param timeoutMs SIGTERM → exit, at most (SHUTDOWN_TIMEOUT_SECONDS). */
  constructor(readonly timeoutMs: number) {}

  /** Aborted at the cut: stop waiting for upstream, give up retries. */
  get signal(): AbortSignal {
    return this.#cut.signal;
  }

  /** When, after the start, in-flight work is cut off: a second (or a fifth of the budget) before the exit. */
  get cutMs(): number {
    return Math.max(0, this.timeoutMs - Math.min(1_000, this.timeoutMs / 5));
  }

  /**
   * Starts the clock (once). `onExpired` runs at the deadline and must end the process; its
   * timer is deliberately not unref'd, so that nothing still pending can outlive it.
   */
  begin(onExpired: () => void): void {
    if (this.#started) return;
    this.#started = true;
    setTimeout(() => this.#cut.abort(new Error('shutdown deadline')), this.cutMs).unref();
    setTimeout(onExpired, this.timeoutMs);
  }
}
