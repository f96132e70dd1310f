// Subject matching: matches per second against SubjectIndex at 1k, 10k and
// 100k subscriptions (the cost should not grow with the count), and bytes
// per subscription at 100k (target ≤ 500; etcd's watch is about 350).
// Run: node --expose-gc --import tsx bench/subjects.bench.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';

import { matchSubject } from '../engine/pubsub/subject';
import { SubjectIndex } from '../engine/pubsub/subject-index';

const SEED = 20261203;
const MATCH_SECONDS = 1.5;

// mulberry32: the same subscriptions on every run, so runs compare
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = rng(SEED);
const pick = <T>(items: T[]): T =>
  items[Math.floor(random() * items.length)] as T;
const word = (min: number, max: number): string => {
  const length = min + Math.floor(random() * (max - min + 1));
  let text = '';
  for (let i = 0; i < length; i++) {
    text += String.fromCharCode(97 + Math.floor(random() * 26));
  }
  return text;
};

// a namespace shaped like real traffic: few apps, more entities, many ids
const APPS = Array.from({ length: 20 }, () => word(3, 8));
const ENTITIES = Array.from({ length: 200 }, () => word(4, 10));
const IDS = Array.from({ length: 50_000 }, () => word(6, 12));
const EVENTS = Array.from({ length: 12 }, () => word(4, 9));

function randomSubject(): string {
  const tokens = [pick(APPS), pick(ENTITIES), pick(IDS), pick(EVENTS)];
  tokens.length = 3 + Math.floor(random() * 2);
  return tokens.join('.');
}

/**
 * Selective: wildcards only after the id, so a subject matches a handful
 * of subscriptions whatever their number. Broad: wildcards anywhere after
 * the app, so one subject matches a share of everything.
 */
type Shape = 'selective' | 'broad';

function randomPattern(shape: Shape): string {
  const tokens = randomSubject().split('.');
  const from = shape === 'selective' ? 3 : 1;
  for (let i = from; i < tokens.length; i++) {
    if (random() < 0.2) {
      tokens[i] = '*';
    }
  }
  if (random() < 0.1) {
    tokens.length = from + Math.floor(random() * (tokens.length - from));
    tokens.push('>');
  }
  return tokens.join('.');
}

// half the subjects are subscribed ones made concrete, so matches happen
function subjectFor(patterns: string[]): string {
  if (random() < 0.5) {
    return randomSubject();
  }
  return pick(patterns)
    .split('.')
    .map((token) => (token === '*' || token === '>' ? pick(EVENTS) : token))
    .join('.');
}

// --expose-gc when run as documented; the v8 flag otherwise (npm run bench)
function collector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed !== undefined) {
    return exposed;
  }
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const gc = collector();

function settledHeap(): number {
  for (let i = 0; i < 4; i++) {
    gc();
  }
  return process.memoryUsage().heapUsed;
}

function build(patterns: string[]): SubjectIndex<number> {
  const index = new SubjectIndex<number>();
  patterns.forEach((pattern, id) => index.add(pattern, id));
  return index;
}

interface MatchRate {
  matchesPerSecond: number;
  resultsPerMatch: number;
}

function matchRate(index: SubjectIndex<number>, subjects: string[]): MatchRate {
  let matches = 0;
  let results = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < MATCH_SECONDS * 1000) {
    for (const subject of subjects) {
      results += index.match(subject).length;
    }
    matches += subjects.length;
    elapsed = performance.now() - start;
  }
  return {
    matchesPerSecond: Math.round(matches / (elapsed / 1000)),
    resultsPerMatch: Number((results / matches).toFixed(2)),
  };
}

function scenario(shape: Shape) {
  // the patterns exist before the baseline: only the index is counted
  const patterns = Array.from({ length: 100_000 }, () => randomPattern(shape));
  const subjects = Array.from({ length: 10_000 }, () => subjectFor(patterns));
  const before = settledHeap();
  const buildStart = performance.now();
  const big = build(patterns);
  const buildMs = performance.now() - buildStart;
  const after = settledHeap();
  const trieNodes = big.nodeCount;

  // a sanity line against the plain filter, not a test
  const agreesWithFilterOnSample = subjects
    .slice(0, 20)
    .every(
      (s) =>
        big.match(s).join() ===
        patterns.flatMap((p, id) => (matchSubject(p, s) ? [id] : [])).join(),
    );

  const matchRateBySubscriptions: Record<string, MatchRate> = {};
  // subjects drawn from the subscriptions present, so that only the count
  // changes between the three figures
  for (const count of [1_000, 10_000]) {
    const some = patterns.slice(0, count);
    const probes = Array.from({ length: 10_000 }, () => subjectFor(some));
    matchRateBySubscriptions[count] = matchRate(build(some), probes);
  }
  matchRateBySubscriptions[100_000] = matchRate(big, subjects);

  const removeStart = performance.now();
  patterns.forEach((pattern, id) => big.remove(pattern, id));
  const removeMs = performance.now() - removeStart;

  return {
    subscriptions: patterns.length,
    trieNodes,
    bytesPerSubscription: Math.round((after - before) / patterns.length),
    addsPerSecond: Math.round(patterns.length / (buildMs / 1000)),
    removesPerSecond: Math.round(patterns.length / (removeMs / 1000)),
    nodesLeftAfterRemovingAll: big.nodeCount,
    matchRateBySubscriptions,
    agreesWithFilterOnSample,
  };
}

const scenarios = {
  selective: scenario('selective'),
  broad: scenario('broad'),
};

for (const [shape, figures] of Object.entries(scenarios)) {
  console.log(`\n${shape}: ${figures.subscriptions} subscriptions`);
  console.log(`  trie nodes              ${figures.trieNodes}`);
  const bytes = figures.bytesPerSubscription;
  console.log(`  bytes per subscription  ${bytes} (target ≤ 500)`);
  console.log(`  adds/s                  ${figures.addsPerSecond}`);
  console.log(`  removes/s               ${figures.removesPerSecond}`);
  console.log(`  nodes left, all removed ${figures.nodesLeftAfterRemovingAll}`);
  for (const [count, rate] of Object.entries(
    figures.matchRateBySubscriptions,
  )) {
    console.log(
      `  matches/s at ${count.padEnd(7)}    ${rate.matchesPerSecond} ` +
        `(${rate.resultsPerMatch} results per match)`,
    );
  }
  console.log(`  agrees with filter      ${figures.agreesWithFilterOnSample}`);
}

const folder = join('bench', 'results');
mkdirSync(folder, { recursive: true });
writeFileSync(
  join(folder, 'subjects.json'),
  JSON.stringify(
    {
      bench: 'subjects',
      date: new Date().toISOString(),
      node: process.version,
      seed: SEED,
      scenarios,
    },
    null,
    2,
  ) + '\n',
);
