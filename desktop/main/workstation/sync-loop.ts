// The background sync: one run at a time (push, then pull), every `intervalMs` and soon after a
// local write, never while the person works offline; stops for good on stop().
export interface SyncLoopOptions {
  intervalMs: number;
  /** Delay after a local write before syncing, so a burst of writes goes in one push. */
  kickDelayMs: number;
  run: () => Promise<void>;
}

export class SyncLoop {
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly options: SyncLoopOptions) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Sync soon (after a local write). */
  kick(): void {
    this.schedule(this.options.kickDelayMs);
  }

  /** Runs now, or joins the run under way; a run that was under way is followed by a fresh one. */
  async now(): Promise<void> {
    if (this.inFlight) await this.inFlight;
    await this.runOnce();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.runOnce().finally(() => this.schedule(this.options.intervalMs));
    }, delayMs);
    this.timer.unref?.();
  }

  private runOnce(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    // No overlapping runs: a second caller joins the first.
    this.inFlight ??= this.options.run().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /** Stops scheduling and waits for the run under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight?.catch(() => undefined);
  }
}
