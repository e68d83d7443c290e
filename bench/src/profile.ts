/*
 * Profiling aids: `profile` runs one full cycle of our engine (the work that
 * `compare` times) under V8's CPU profiler (the one `node --cpu-prof`
 * uses, started and stopped around the cycle only, through the inspector)
 * and writes the .cpuprofile; `top` summarises a .cpuprofile by self time
 * and by inclusive time per function.
 */
import fs from 'fs';
import { Session } from 'inspector/promises';
import os from 'os';
import path from 'path';
import { performance } from 'perf_hooks';
import {
  Item,
  createBenchEngine,
  formatMs,
  log,
  postgresTarget,
  sqliteTarget,
} from '@prodready/plugin-readiness-backend/bench/generate';

export async function profileCycle(
  engine: 'SQLite' | 'PostgreSQL',
  items: Item[],
) {
  const target =
    engine === 'SQLite'
      ? await sqliteTarget('readiness')
      : await postgresTarget('readiness');
  try {
    const { engine: readiness } = await createBenchEngine(
      target,
      items,
      new Date(),
    );
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 500 });
    await session.post('Profiler.start');
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const result = await readiness.runCycle();
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    const file = path.join(
      os.tmpdir(),
      `readiness-cycle-${engine}-${items.length}-${process.pid}.cpuprofile`,
    );
    fs.writeFileSync(file, JSON.stringify(profile));
    log(
      `[${engine} ${items.length}] full cycle: ${formatMs(ms)} wall, ${formatMs(
        (cpu.user + cpu.system) / 1000,
      )} CPU of this process (${result.evaluated} evaluated); profile: ${file}`,
    );
    topFunctions(file);
  } finally {
    await target.dispose();
  }
}

interface ProfileNode {
  id: number;
  callFrame: {
    functionName: string;
    url: string;
    lineNumber: number;
  };
  children?: number[];
}

interface CpuProfile {
  startTime: number;
  endTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * The functions with the most self and inclusive time in a .cpuprofile;
 * with `focus`, only the samples under a function of that name (such as
 * `runCycle`); with `lastSeconds`, only the samples of the end of the
 * profile (such as a load test, before the backend stops).
 */
export function topFunctions(
  file: string,
  focus?: string,
  limit = 30,
  lastSeconds?: number,
) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map(node => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const label = (node: ProfileNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url
      .replace(/^file:\/\//, '')
      .replace(/.*\/node_modules\//, '')
      .replace(/.*\/work\/main\//, '');
    return `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
  };
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  const inFocus = (id: number) => {
    for (
      let at: number | undefined = id;
      at !== undefined;
      at = parent.get(at)
    ) {
      if (byId.get(at)!.callFrame.functionName === focus) return true;
    }
    return false;
  };
  const from = lastSeconds ? profile.endTime - lastSeconds * 1e6 : -Infinity;
  let clock = profile.startTime;
  profile.samples.forEach((id, index) => {
    const dt = profile.timeDeltas[index] ?? 0;
    clock += dt;
    if (clock < from) return;
    if (focus && !inFocus(id)) return;
    total += dt;
    const node = byId.get(id)!;
    self.set(label(node), (self.get(label(node)) ?? 0) + dt);
    const seen = new Set<string>();
    for (
      let at: number | undefined = id;
      at !== undefined;
      at = parent.get(at)
    ) {
      const name = label(byId.get(at)!);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + dt);
    }
  });
  const print = (title: string, map: Map<string, number>) => {
    process.stdout.write(
      `\n${title} (of ${(total / 1000).toFixed(0)} ms sampled)\n`,
    );
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .forEach(([name, us]) =>
        process.stdout.write(
          `  ${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total)
            .toFixed(1)
            .padStart(5)}%  ${name}\n`,
        ),
      );
  };
  print('Self time', self);
  print('Inclusive time', inclusive);
}
