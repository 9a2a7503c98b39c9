// What every channel gives the one HTTP server: routes to mount, and a lifecycle.
import type { Express } from 'express';

export interface Channel {
  readonly name: 'slack' | 'teams' | 'web';
  /** Adds the channel's routes to the shared server (before the server listens). */
  mount(app: Express): void;
  /** Starts background work (e.g. Slack Socket Mode); optional. */
  start?(): Promise<void>;
  /**
   * Shutdown has begun (called before the server drains): cut outbound waits short so that
   * in-flight requests can finish within the drain; optional.
   */
  drain?(): void;
  /** Stops background work and waits for in-flight turns. */
  stop(): Promise<void>;
}
