// Random playthroughs of an ink story with inkjs, for benchmarks/bench_vs_ink.py.
// Usage: node play.js STORY.ink RUNS   (prints one JSON line: plays, seconds, decisions)
"use strict";
const fs = require("fs");
const inkjs = require("inkjs/full");

const [source, runs] = [fs.readFileSync(process.argv[2], "utf8"), Number(process.argv[3])];
const story = new inkjs.Compiler(source).Compile();
let seed = 1;
function random() {
  // A small fixed-seed generator, so every run makes the same plays.
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}
function play() {
  story.ResetState();
  let decisions = 0;
  for (;;) {
    story.ContinueMaximally();
    const choices = story.currentChoices;
    if (choices.length === 0) return decisions;
    story.ChooseChoiceIndex(Math.floor(random() * choices.length));
    decisions += 1;
  }
}
for (let i = 0; i < Math.min(200, runs); i++) play(); // warm up the JIT
const started = process.hrtime.bigint();
let decisions = 0;
for (let i = 0; i < runs; i++) decisions += play();
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
console.log(JSON.stringify({ plays: runs, seconds, decisions: decisions / runs }));
