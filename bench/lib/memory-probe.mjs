// Preloaded into the server by the memory section (`--import ./bench/lib/memory-probe.mjs`;
// plain JavaScript, so the production bundle runs without a TypeScript loader):
// answers "memory" on the IPC channel with process.memoryUsage() after a full GC
// (--expose-gc), so the figures are what the server keeps, not garbage not yet collected.
const gc = globalThis.gc;

if (process.send !== undefined) {
  process.on('message', (message) => {
    if (message !== 'memory') return;
    const before = process.memoryUsage();
    gc?.();
    gc?.();
    const after = process.memoryUsage();
    process.send?.({ before, after, gc: gc !== undefined });
  });
  // The channel must not keep the server alive at shutdown.
  process.channel?.unref();
}
