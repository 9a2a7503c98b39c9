// The shutdown signal ends a request, and a finished request leaves no listener behind.
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { requestSignal } from '../../../src/channels/slack/abort.ts';

describe('requestSignal', () => {
  it('aborts on the shutdown signal or on its own one', () => {
    const shutdown = new AbortController();
    const own = new AbortController();
    const a = requestSignal(own.signal, shutdown.signal);
    const b = requestSignal(undefined, shutdown.signal);
    own.abort(new Error('timeout'));
    expect(a.signal.aborted).toBe(true);
    expect(b.signal.aborted).toBe(false);
    shutdown.abort(new Error('shutdown deadline'));
    expect(b.signal.aborted).toBe(true);
    expect((b.signal.reason as Error).message).toBe('shutdown deadline');
  });

  it('removes its listener from the long-lived shutdown signal when done', () => {
    const shutdown = new AbortController();
    for (let i = 0; i < 1000; i++) requestSignal(AbortSignal.timeout(60_000), shutdown.signal).done();
    expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);
  });
});
