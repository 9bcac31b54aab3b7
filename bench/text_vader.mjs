// Reference VADER (npm vader-sentiment) on the benchmark's sentiment sets, scored by the same
// rule as bench/text_eval.c (the compound's sign; 0 counts as wrong).
//   node bench/text_vader.mjs NODE_MODULES EVAL
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const [nm, evalDir] = process.argv.slice(2);
const vader = createRequire(path.resolve(nm) + '/')('vader-sentiment');
for (const set of ['amazon', 'imdb', 'yelp']) {
  const rows = fs.readFileSync(path.join(evalDir, `sentiment-${set}.tsv`), 'utf8').split('\n').filter(Boolean);
  let ok = 0;
  for (const row of rows) {
    const c = vader.SentimentIntensityAnalyzer.polarity_scores(row.slice(2)).compound;
    ok += (row[0] === '1' && c > 0) || (row[0] === '0' && c < 0);
  }
  console.log(`sentiment, ${set.padEnd(6)}: reference VADER (npm vader-sentiment) ${(100 * ok / rows.length).toFixed(1)}%`);
}
