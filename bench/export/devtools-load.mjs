// bench/export/devtools-load.mjs — how long Chrome DevTools' trace engine
// takes to load a trace file, in Node.
//
//   node devtools-load.mjs ENGINE_DIR load TRACE.json
//     prints "load EVENTS READ_MS PARSE_MS TOTAL_MS CPU_MS": reading the
//     file with JSON.parse, then the engine's Model.parse() with all its
//     handlers (what the Performance panel runs when a file is dropped on
//     it), wall time, and the CPU time (user + system) of both.
//   node devtools-load.mjs ENGINE_DIR expand IN.json OUT.json
//     writes IN in the trace's previous shape, for a ratio in one run:
//     "on" and "copy" in every task slice's args and the loop's lane
//     named even when it holds no events (docs/command-line.md, "Size").
//
// ENGINE_DIR is an installed @paulirish/trace_engine (bench/export/
// devtools-load installs it into a cache folder).
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [engineDir, mode, ...files] = process.argv.slice(2);

if (mode === 'expand') {
  const [input, output] = files;
  const doc = JSON.parse(fs.readFileSync(input, 'utf8'));
  const events = doc.traceEvents;
  const firstThread = events.findIndex(e => e.ph === 'M' && e.name === 'thread_name');
  const loopNamed = events.some(e => e.ph === 'M' && e.name === 'thread_name' && e.pid === 1 && e.tid === 0);
  if (!loopNamed) {
    events.splice(firstThread < 0 ? 0 : firstThread, 0,
                  { ph: 'M', pid: 1, tid: 0, name: 'thread_name', args: { name: 'event loop' } },
                  { ph: 'M', pid: 1, tid: 0, name: 'thread_sort_index', args: { sort_index: 0 } });
  }
  for (const e of events) {
    if (e.ph !== 'X' || e.cat !== 'task')
      continue;
    // Members in their old order: id, task, state, kind, on, parent, copy, …
    const a = e.args;
    const rest = { ...a };
    for (const k of ['id', 'task', 'state', 'kind', 'on', 'parent', 'copy'])
      delete rest[k];
    e.args = { id: a.id, task: a.task, state: a.state, kind: a.kind, on: a.on ?? 'loop',
               parent: a.parent, copy: a.copy ?? 1, ...rest };
  }
  fs.writeFileSync(output, JSON.stringify(doc) + '\n');
  process.exit(0);
}

if (mode !== 'load') {
  console.error('usage: devtools-load.mjs ENGINE_DIR load TRACE… | expand IN OUT');
  process.exit(2);
}

// The engine reads window.DOMRect; Node has none.
globalThis.DOMRect ??= class DOMRect {
  constructor(x = 0, y = 0, width = 0, height = 0) {
    Object.assign(this, { x, y, width, height });
  }
};
const Trace = await import(pathToFileURL(path.join(engineDir, 'models/trace/trace.js')).href);

for (const file of files) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  const events = doc.traceEvents ?? doc;
  const t1 = performance.now();
  const model = Trace.TraceModel.Model.createWithAllHandlers();
  await model.parse(events);
  if (!model.parsedTrace())
    throw new Error(`${file}: the engine parsed no trace`);
  const t2 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  console.log(`load ${events.length} ${(t1 - t0).toFixed(0)} ${(t2 - t1).toFixed(0)} ` +
              `${(t2 - t0).toFixed(0)} ${((cpu.user + cpu.system) / 1000).toFixed(0)}`);
}
