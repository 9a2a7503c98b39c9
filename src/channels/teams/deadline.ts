// Deadlines as abort signals that are sure to fire. AbortSignal.timeout() signals combined
// with AbortSignal.any() are held weakly: under frequent garbage collection (the start
// script's small young generation) they were collected and never aborted, so a hanging
// connector held turns until shutdown. Here a timer holds the controller until it fires or
// the work is done.

export interface Deadline {
  readonly signal: AbortSignal;
  /** Stops the timer and the listeners once the work is over. */
  done(): void;
}

export class DeadlineExceededError extends Error {
  override readonly name = 'TimeoutError';
  readonly code = 'TimeoutError';
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

/** Aborts after `ms`, or as soon as any parent aborts (with the parent's reason). */
export function startDeadline(ms: number, ...parents: (AbortSignal | undefined)[]): Deadline {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DeadlineExceededError(ms)), ms);
  const listeners: [AbortSignal, () => void][] = [];
  const done = () => {
    clearTimeout(timer);
    for (const [parent, listener] of listeners) parent.removeEventListener('abort', listener);
    listeners.length = 0;
  };
  for (const parent of parents) {
    if (parent === undefined) continue;
    if (parent.aborted) {
      controller.abort(parent.reason);
      break;
    }
    const listener = () => controller.abort(parent.reason);
    parent.addEventListener('abort', listener, { once: true });
    listeners.push([parent, listener]);
  }
  controller.signal.addEventListener('abort', done, { once: true });
  return { signal: controller.signal, done };
}
