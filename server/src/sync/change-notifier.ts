// Cross-instance change notification: every server instance LISTENs on Postgres for committed
// changes to synced rows and tells its connected clients, who then pull.
import { EventEmitter, on } from 'node:events';
import pg from 'pg';

export const CHANGES_CHANNEL = 'arbitra_changes';

export class ChangeNotifier {
  private client: pg.Client | null = null;
  private readonly events = new EventEmitter();
  private stopped = false;
  private sequence = 0;
  private retry: NodeJS.Timeout | null = null;

  constructor(private readonly connectionString: string) {
    this.events.setMaxListeners(0);
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on('notification', () => this.emit());
    client.on('error', () => this.reconnectSoon());
    client.on('end', () => this.reconnectSoon());
    await client.connect();
    await client.query(`listen ${CHANGES_CHANNEL}`);
    this.client = client;
    // Changes may have committed while we were not listening: tell clients to pull.
    this.emit();
  }

  private reconnectSoon(): void {
    if (this.stopped || this.retry) return;
    this.client = null;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.connect().catch(() => this.reconnectSoon());
    }, 1000);
  }

  private emit(): void {
    this.sequence++;
    this.events.emit('change', this.sequence);
  }

  /** Yields a rising number each time changes committed, until `signal` aborts. */
  async *changes(signal?: AbortSignal): AsyncGenerator<number> {
    try {
      for await (const [n] of on(this.events, 'change', { signal })) yield n as number;
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    if (client) await client.end().catch(() => {});
  }
}
