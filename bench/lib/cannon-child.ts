// Runs autocannon (its JS API) in a process of its own, so the load generator does not share the
// event loop of the servers it measures. Input: one JSON argument (url, connections, duration in
// seconds, headers, timeout in seconds); output: one JSON line on stdout with the figures the
// benches use. Spawned by bench/lib/cannon.ts.
import { createRequire } from 'node:module';

interface CannonInput {
  url: string;
  connections: number;
  duration: number;
  headers: Record<string, string>;
  timeout: number;
}

interface Histogram {
  average: number;
  p50: number;
  p90: number;
  p97_5: number;
  p99: number;
  max: number;
  total?: number;
}

interface AutocannonResult {
  requests: Histogram & { total: number; sent: number };
  latency: Histogram;
  throughput: Histogram;
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
}

type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
const input = JSON.parse(process.argv[2] ?? '{}') as CannonInput;

const r = await autocannon({ url: input.url, connections: input.connections, duration: input.duration, headers: input.headers, timeout: input.timeout });
process.stdout.write(
  `${JSON.stringify({
    requests: r.requests.total,
    sent: r.requests.sent,
    ok: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    seconds: r.duration,
    rps: r['2xx'] / r.duration,
    latency: { average: r.latency.average, p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
    bytesPerSecond: r.throughput.average,
  })}\n`,
);
