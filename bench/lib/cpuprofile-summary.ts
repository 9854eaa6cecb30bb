// Where the time goes in a V8 CPU profile (node --cpu-prof): self time by function and by module
// or package, and inclusive time by function (each sample counted once per function on its stack).
//   npx tsx bench/lib/cpuprofile-summary.ts <file.cpuprofile> [top=25] [focus function name]
// With a focus function (e.g. renderDossier), only samples with it on the stack are counted.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** `node_modules/<pkg>` (scoped too), else the file relative to the repository, else the special frame. */
function moduleOf(url: string, root: string): string {
  if (!url) return '(native/vm)';
  let p = url.startsWith('file://') ? fileURLToPath(url) : url;
  const nm = p.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = p.slice(nm + 'node_modules/'.length).split('/');
    return `pkg ${rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  if (p.startsWith(root)) p = path.relative(root, p);
  return p;
}

export function summarise(profile: Profile, opts: { top?: number; focus?: string; root?: string } = {}): string {
  const top = opts.top ?? 25;
  const root = opts.root ?? process.cwd();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (n: ProfileNode) => {
    const f = n.callFrame;
    const name = f.functionName || '(anonymous)';
    return f.url ? `${name}  ${moduleOf(f.url, root)}:${f.lineNumber + 1}` : name;
  };
  const self = new Map<string, number>();
  const selfModule = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  let counted = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000; // ms; a sample's time is until the next one
    total += dt;
    const leaf = byId.get(profile.samples[i]!);
    if (!leaf) continue;
    const stack: ProfileNode[] = [];
    for (let n: ProfileNode | undefined = leaf, guard = 0; n && guard < 10_000; n = byId.get(parent.get(n.id) ?? -1), guard++) stack.push(n);
    if (opts.focus && !stack.some((n) => n.callFrame.functionName === opts.focus)) continue;
    counted += dt;
    const k = key(leaf);
    self.set(k, (self.get(k) ?? 0) + dt);
    const m = leaf.callFrame.url ? moduleOf(leaf.callFrame.url, root) : leaf.callFrame.functionName || '(anonymous)';
    selfModule.set(m, (selfModule.get(m) ?? 0) + dt);
    for (const fk of new Set(stack.map(key))) inclusive.set(fk, (inclusive.get(fk) ?? 0) + dt);
  }
  const rows = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `  ${v.toFixed(0).padStart(7)} ms ${((v / Math.max(counted, 1e-9)) * 100).toFixed(1).padStart(5)} %  ${k}`);
  return [
    `profile: ${(total / 1000).toFixed(2)} s sampled, ${profile.samples.length} samples${opts.focus ? `; ${(counted / 1000).toFixed(2)} s with ${opts.focus} on the stack (percentages of that)` : ''}`,
    `self time by module / package:`,
    ...rows(selfModule, 15),
    `self time by function:`,
    ...rows(self, top),
    `inclusive time by function:`,
    ...rows(inclusive, top),
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const [file, topArg, focus] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: cpuprofile-summary.ts <file.cpuprofile> [top] [focus function]\n');
    process.exit(2);
  }
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  process.stdout.write(`${summarise(profile, { top: topArg ? Number(topArg) : 25, focus, root: path.resolve(fileURLToPath(new URL('../..', import.meta.url))) })}\n`);
}
