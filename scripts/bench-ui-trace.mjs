// Attributes the page's long tasks from a Chrome trace (and, when given, a CPU profile taken at
// the same time), for scripts/bench-ui.mjs --trace: each main-thread task over the budget split
// into script, style, layout, paint, GC, messaging/clone and other by self time, with the
// JavaScript functions that took its script time. Pure reading of the trace: no browser here.

/** Trace event names by the kind of work they are (self time is counted to the innermost). */
const KINDS = [
  ['gc', /^(MinorGC|MajorGC|V8\.GC|BlinkGC|ThreadState::|GCEvent|V8\.Minor|V8\.Major|CppGC|BlinkGC\.)/],
  ['style', /^(UpdateLayoutTree|RecalculateStyles|ParseAuthorStyleSheet|ScheduleStyleRecalculation|StyleRecalc|Document::updateStyle|InvalidateLayout)/],
  ['layout', /^(Layout|UpdateLayout|LocalFrameView::layout|LayoutShift)/],
  ['paint', /^(Paint|PrePaint|PaintImage|Layerize|UpdateLayer|UpdateLayerTree|CompositeLayers|Commit|Rasterize|Decode|ImageDecode|PaintSetup|RasterTask|HitTest|IntersectionObserverController|Canvas|Draw)/],
  ['message', /(Message|Serializ|Deserializ|postMessage|ScriptValue|IndexedDB|IDB)/i],
  ['script', /^(FunctionCall|EvaluateScript|V8\.Execute|v8\.run|v8\.callFunction|TimerFire|FireAnimationFrame|EventDispatch|FireIdleCallback|RunMicrotasks|v8\.evaluateModule|V8\.ScriptCompiler|v8\.compile|v8\.produceCache|CompileScript|CompileCode|CompileModule|ParseScriptOnBackground|XHRReadyStateChange|v8\.callModuleMethod|ResizeObserver|PerformanceObserver|ScheduledAction)/],
];
const TASK = /^(RunTask|ThreadControllerImpl::RunTask|ThreadControllerImpl::DoWork|TaskQueueManager::ProcessTaskFromWorkQueue)$/;

/** The kind of one trace event by its name. */
function kindOf(name) {
  for (const [kind, re] of KINDS) if (re.test(name)) return kind;
  return 'other';
}

/** The renderer main thread of the page: the CrRendererMain with the most events. */
function mainThread(events) {
  const names = new Map();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain') names.set(`${e.pid}:${e.tid}`, 0);
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (names.has(key)) names.set(key, names.get(key) + 1);
  }
  return [...names.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/**
 * Reads complete ('X') and begin/end ('B'/'E') events of one thread into intervals
 * `{ name, ts, end, args }` in microseconds, sorted by start (outer before inner).
 */
function intervals(events, thread) {
  const out = [];
  const open = [];
  for (const e of events) {
    if (`${e.pid}:${e.tid}` !== thread) continue;
    if (e.ph === 'X' && typeof e.dur === 'number') out.push({ name: e.name, ts: e.ts, end: e.ts + e.dur, tdur: e.tdur, args: e.args });
    else if (e.ph === 'B') open.push(e);
    else if (e.ph === 'E') {
      const b = open.pop();
      if (b) out.push({ name: b.name, ts: b.ts, end: e.ts, args: b.args });
    }
  }
  out.sort((a, b) => a.ts - b.ts || b.end - a.end);
  return out;
}

/** Self time by kind (and by event name) inside one task: each moment goes to the innermost event. */
function selfTimes(task, inner) {
  const byKind = {};
  const byName = {};
  const stack = [{ ...task, kind: 'other', childTime: 0 }];
  const close = (until) => {
    while (stack.length > 1 && stack.at(-1).end <= until) {
      const done = stack.pop();
      const self = done.end - done.ts - done.childTime;
      byKind[done.kind] = (byKind[done.kind] ?? 0) + self;
      byName[done.name] = (byName[done.name] ?? 0) + self;
      stack.at(-1).childTime += done.end - done.ts;
    }
  };
  for (const e of inner) {
    close(e.ts);
    const parent = stack.at(-1);
    const end = Math.min(e.end, parent.end);
    const k = kindOf(e.name);
    // An event of unknown kind inside script is still script (e.g. a V8 sub-phase).
    const kind = k === 'other' && parent.kind !== 'other' ? parent.kind : k;
    stack.push({ name: e.name, ts: e.ts, end, kind, childTime: 0 });
  }
  close(Number.POSITIVE_INFINITY);
  const root = stack[0];
  const self = root.end - root.ts - root.childTime;
  byKind.other = (byKind.other ?? 0) + self;
  return { byKind, byName };
}

/** Self time per function in [from, to] µs from a CPU profile (Profiler.stop's `profile`). */
function functionsIn(profile, from, to) {
  if (!profile) return [];
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map();
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    if (t < from || t > to) continue;
    const next = i + 1 < profile.timeDeltas.length ? profile.timeDeltas[i + 1] : 0;
    const cf = nodes.get(profile.samples[i])?.callFrame;
    if (!cf) continue;
    const file = cf.url ? cf.url.replace(/^.*\//, '') : '';
    const name = `${cf.functionName || '(anonymous)'}${file ? ` ${file}:${cf.lineNumber + 1}` : ''}`;
    totals.set(name, (totals.get(name) ?? 0) + next);
  }
  return [...totals.entries()].sort((a, b) => b[1] - a[1]);
}

/**
 * Lists every main-thread task longer than `budgetMs` with its attribution, as printable lines.
 * @param trace The trace JSON (`{ traceEvents }` or an array).
 * @param profile A CPU profile taken over the same time, or undefined.
 */
export function attributeLongTasks(trace, profile, budgetMs = 50) {
  const events = Array.isArray(trace) ? trace : trace.traceEvents;
  const thread = mainThread(events);
  if (!thread) return ['trace: no CrRendererMain thread found'];
  const all = intervals(events, thread);
  const tasks = all.filter((e) => TASK.test(e.name) && e.end - e.ts > budgetMs * 1000);
  // Tasks can nest (a nested run loop); keep the outermost.
  const outer = tasks.filter((t, i) => !tasks.some((o, j) => j !== i && o.ts <= t.ts && o.end >= t.end && o.end - o.ts > t.end - t.ts));
  const lines = [`trace: ${outer.length} main-thread tasks over ${budgetMs} ms`];
  const updates = panelUpdates(events, thread);
  const sum = {};
  let index = 0;
  for (const task of outer) {
    const inner = all.filter((e) => e !== task && e.ts >= task.ts && e.end <= task.end && !TASK.test(e.name));
    const { byKind, byName } = selfTimes(task, inner);
    for (const [k, v] of Object.entries(byKind)) sum[k] = (sum[k] ?? 0) + v;
    const ms = (us) => (us / 1000).toFixed(1);
    const kinds = Object.entries(byKind).filter(([, v]) => v >= 500).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${ms(v)}`).join(', ');
    const names = Object.entries(byName).sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, v]) => `${k} ${ms(v)}`).join(', ');
    const top = functionsIn(profile, task.ts, task.end).slice(0, 6).map(([k, v]) => `${k} ${ms(v)}`).join('; ');
    const entry = inner.find((e) => kindOf(e.name) === 'script')?.name ?? '';
    const cpu = typeof task.tdur === 'number' ? `, ${ms(task.tdur)} ms of thread time` : '';
    lines.push(`  #${++index} at +${((task.ts - outer[0].ts) / 1e6).toFixed(2)} s: ${ms(task.end - task.ts)} ms${cpu} (${entry}) — ${kinds}`);
    lines.push(`      events: ${names}`);
    if (top) lines.push(`      js: ${top}`);
    const drew = updates.filter((u) => u.ts >= task.ts && u.end <= task.end).map((u) => `${u.panel} ${ms(u.end - u.ts)}`);
    if (drew.length) lines.push(`      panel updates: ${drew.join(', ')}`);
  }
  lines.push(threadTimeLine(all));
  lines.push(forcedLayoutLine(all));
  const total = Object.entries(sum).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${(v / 1000).toFixed(0)}`).join(', ');
  if (outer.length) lines.push(`  all long tasks (ms, self time): ${total}`);
  return lines;
}

/**
 * The main thread's tasks by thread time (CPU the thread got, `tdur`), which preemption by other
 * threads and processes does not stretch as it does wall time: on a loaded machine the
 * comparison of two builds that still means something.
 */
function threadTimeLine(all) {
  // Outermost tasks only: a task run inside another (a nested run loop) is part of its time.
  let outerEnd = -1;
  const cpu = all
    .filter((e) => TASK.test(e.name) && typeof e.tdur === 'number')
    .filter((e) => (e.ts >= outerEnd ? ((outerEnd = e.end), true) : false))
    .map((e) => e.tdur / 1000)
    .sort((a, b) => b - a);
  if (!cpu.length) return '  thread time: not in this trace';
  const over = (ms) => cpu.filter((c) => c > ms).length;
  return `  thread time per task: longest ${cpu.slice(0, 5).map((c) => c.toFixed(1)).join(', ')} ms; over 50 ms ${over(50)}, over 30 ms ${over(30)}, over 20 ms ${over(20)}`;
}

/**
 * The panels' updates as the benchmark page marks them (`performance.measure('update <panel>')`,
 * src/app/bench-ui/main.ts): `{ panel, ts, end }` in microseconds, on the page's clock.
 */
function panelUpdates(events, thread) {
  const pid = thread.split(':')[0];
  const open = new Map();
  const out = [];
  for (const e of events) {
    if (String(e.pid) !== pid || !e.cat?.includes('blink.user_timing') || !e.name?.startsWith('update ')) continue;
    const key = `${e.name}|${e.id2?.local ?? e.id ?? ''}`;
    if (e.ph === 'b') open.set(key, e.ts);
    else if (e.ph === 'e' && open.has(key)) {
      out.push({ panel: e.name.slice('update '.length), ts: open.get(key), end: e.ts });
      open.delete(key);
    }
  }
  return out;
}

/**
 * Forced layouts: style and layout run inside script (a script read layout, or wrote a scroll
 * position, after the page changed), which the frame's own rendering would otherwise do once.
 * Totals them and names the functions they ran in.
 */
function forcedLayoutLine(all) {
  const script = all.filter((e) => e.name === 'FunctionCall' || e.name === 'TimerFire' || e.name === 'FireAnimationFrame' || e.name === 'EventDispatch');
  const byFunction = new Map();
  let total = 0;
  let count = 0;
  for (const e of all) {
    if (e.name !== 'Layout' && e.name !== 'UpdateLayoutTree') continue;
    const inside = script.filter((s) => s.ts <= e.ts && s.end >= e.end);
    if (!inside.length) continue;
    // The innermost call the trace names (an anonymous one by its file and line).
    const data = inside.filter((s) => s.name === 'FunctionCall').at(-1)?.args?.data;
    const name = data ? `${data.functionName || '(anonymous)'} ${String(data.url ?? '').replace(/^.*\//, '')}:${data.lineNumber ?? '?'}` : inside.at(-1).name;
    const ms = (e.end - e.ts) / 1000;
    total += ms;
    count++;
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
  }
  const top = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');
  return `  forced style and layout (inside script): ${total.toFixed(0)} ms in ${count}${top ? ` (${top})` : ''}`;
}
