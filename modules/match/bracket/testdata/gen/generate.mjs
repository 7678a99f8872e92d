// Generates the bracket oracle fixtures (../elimination.json) with brackets-manager, the
// library behind the reference bracket viewer: for every size and option, the real matches
// (both sides can be filled) in group/round/number order, where each side comes from (a seed,
// or the winner or loser of an earlier fixture match, as observed while playing), and a few
// full plays: who met whom in every match and who won. Run: npm ci && node generate.mjs
import { writeFileSync } from 'node:fs';
import { BracketsManager } from 'brackets-manager';
import { InMemoryDatabase } from 'brackets-memory-db';

const version = JSON.parse(
  (await import('node:fs')).readFileSync(new URL('node_modules/brackets-manager/package.json', import.meta.url)),
).version;

// mulberry32: a small seeded generator, so the fixtures are reproducible.
function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pow2 = (n) => 2 ** Math.ceil(Math.log2(n));
const key = (m) => [m.group_id, m.round_id, m.number];

// One stage: lay it out, then play it `plays` times. Each play decides matches in the
// order they become ready; winners are random, except that the grand final's first match
// goes to the losers' champion in odd plays so the reset is observed. The reset is played
// only when the losers' champion won the first match: brackets-manager leaves it open
// otherwise, but decides the stage on the first match (helpers.getGrandFinalDecisiveMatch).
async function stage(type, n, settings, plays) {
  const cases = [];
  const sources = new Map(); // match id -> [side1, side2]
  let layout;
  const results = [];
  for (let play = 0; play < plays; play++) {
    const storage = new InMemoryDatabase();
    const manager = new BracketsManager(storage);
    const seeding = Array.from({ length: pow2(n) }, (_, i) => (i < n ? `seed ${i}` : null));
    await manager.create.stage({ tournamentId: 0, name: 'oracle', type, seeding, settings: { ...settings, size: pow2(n) } });
    const groups = new Map((await storage.select('group')).map((g) => [g.id, g.number]));
    const rounds = new Map((await storage.select('round')).map((r) => [r.id, r.number]));
    const snapshot = async () => (await storage.select('match')).map((m) => ({ ...m, group: groups.get(m.group_id), round: rounds.get(m.round_id) }));
    let matches = await snapshot();
    const real = matches.filter((m) => m.opponent1 !== null && m.opponent2 !== null)
      .sort((a, b) => a.group - b.group || a.round - b.round || a.number - b.number);
    const index = new Map(real.map((m, i) => [m.id, i]));
    if (play === 0) {
      for (const m of real) sources.set(m.id, [m.opponent1.id !== null ? `s${m.opponent1.id}` : null, m.opponent2.id !== null ? `s${m.opponent2.id}` : null]);
    }
    const played = real.map(() => null);
    const observed = []; // [match id, slot, source], kept only for matches this play played
    const resetNotNeeded = (m) => {
      const first = matches.find((x) => x.group === 3 && x.round === 1 && x.group_id === m.group_id);
      return type === 'double_elimination' && m.group === 3 && m.round === 2 && first.opponent1.result === 'win';
    };
    const random = rng(1000 * n + 10 * play + (settings.grandFinal?.length ?? 0) + (settings.consolationFinal ? 1 : 0));
    for (;;) {
      const ready = matches.filter((m) => m.status === 2 && index.has(m.id) && !resetNotNeeded(m))
        .sort((a, b) => index.get(a.id) - index.get(b.id));
      if (ready.length === 0) break;
      const m = ready[0];
      let first = random() < 0.5;
      if (m.group === 3 && m.round === 1 && type === 'double_elimination') first = play % 2 === 0;
      const [w, l] = first ? [m.opponent1.id, m.opponent2.id] : [m.opponent2.id, m.opponent1.id];
      played[index.get(m.id)] = [m.opponent1.id, m.opponent2.id, w];
      await manager.update.match({ id: m.id, [first ? 'opponent1' : 'opponent2']: { result: 'win' } });
      const after = await snapshot();
      for (const x of after) {
        if (!index.has(x.id)) continue;
        const before = matches.find((y) => y.id === x.id);
        for (const [side, slot] of [['opponent1', 0], ['opponent2', 1]]) {
          const id = x[side]?.id ?? null;
          if (id === null || before[side]?.id === id) continue;
          const from = id === w ? `w${index.get(m.id)}` : id === l ? `l${index.get(m.id)}` : null;
          if (from === null) throw new Error(`match ${x.id}: participant ${id} did not come from match ${m.id}`);
          observed.push([x.id, slot, from]);
        }
      }
      matches = after;
    }
    for (const [id, slot, from] of observed) {
      if (played[index.get(id)] === null) continue; // filled but never played: a reset not needed
      const known = sources.get(id)[slot];
      if (known === null) sources.get(id)[slot] = from;
      else if (known !== from) throw new Error(`${type} ${n}: match ${id} fed by ${known} and ${from}`);
    }
    layout = real;
    results.push(played);
  }
  for (const m of layout) {
    if (sources.get(m.id).includes(null)) throw new Error(`${type} ${n}: match ${key(m)} has an unobserved side`);
  }
  cases.push({
    participants: n,
    ...settings,
    matches: layout.map((m) => [m.group, m.round, ...sources.get(m.id)]),
    plays: results,
  });
  return cases;
}

const out = { generator: `brackets-manager ${version}`, single_elimination: [], double_elimination: [] };
for (let n = 2; n <= 64; n++) {
  for (const consolationFinal of n > 2 ? [false, true] : [false]) { // two players have no semifinals
    out.single_elimination.push(...(await stage('single_elimination', n, { consolationFinal }, 3)));
  }
}
for (let n = 3; n <= 64; n++) {
  for (const grandFinal of ['double', 'simple', 'none']) {
    out.double_elimination.push(...(await stage('double_elimination', n, { grandFinal }, 4)));
  }
}
const lines = (cases) => cases.map((c) => '  ' + JSON.stringify(c)).join(',\n');
writeFileSync(new URL('../elimination.json', import.meta.url),
  `{"generator": ${JSON.stringify(out.generator)},\n"single_elimination": [\n${lines(out.single_elimination)}\n],\n"double_elimination": [\n${lines(out.double_elimination)}\n]}\n`);
