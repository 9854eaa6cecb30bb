// A network link between a workstation engine and the server that can be cut: a TCP relay on
// 127.0.0.1 in front of the server. The engine is given the relay's address as its server, so
// cutting the link is a real network failure for it (open connections reset, new ones refused at
// once), with nothing in the engine replaced or told.
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export class CuttableLink {
  private readonly sockets = new Set<net.Socket>();
  private up = true;

  private constructor(
    private readonly relay: net.Server,
    readonly url: string,
  ) {}

  static async open(targetUrl: string): Promise<CuttableLink> {
    const target = new URL(targetUrl);
    let link: CuttableLink | null = null;
    const relay = net.createServer((client) => link!.accept(client, target.hostname, Number(target.port)));
    await new Promise<void>((resolve, reject) => {
      relay.once('error', reject);
      relay.listen(0, '127.0.0.1', () => resolve());
    });
    link = new CuttableLink(relay, `http://127.0.0.1:${(relay.address() as AddressInfo).port}`);
    return link;
  }

  private accept(client: net.Socket, host: string, port: number): void {
    if (!this.up) {
      client.destroy();
      return;
    }
    const upstream = net.connect({ host, port });
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }

  get isUp(): boolean {
    return this.up;
  }

  /** The cable is pulled: every open connection is reset and new ones are dropped on arrival. */
  cut(): void {
    this.up = false;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  restore(): void {
    this.up = true;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.relay.close(() => resolve()));
  }
}
