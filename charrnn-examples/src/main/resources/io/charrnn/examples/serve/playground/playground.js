'use strict';
// The charrnn playground. Every text from the model or the user goes into the page through
// textContent or text nodes, never as markup.
const $ = id => document.getElementById(id);
let model = null;
let running = [];
let states = null; // the last /api/states answer, with the text it was read from

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

async function api(path, body) {
  const r = await fetch(path, body === undefined ? {} : {
    method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)});
  const json = await r.json();
  if (!r.ok) throw new Error(json.error || ('HTTP ' + r.status));
  return json;
}

function showError(target, e) {
  target.textContent = '';
  target.appendChild(el('span', String(e.message || e), 'error'));
}

// ---- tabs
document.querySelectorAll('#tabs button').forEach(b => b.addEventListener('click', () => {
  document.querySelectorAll('#tabs button').forEach(x => x.classList.toggle('active', x === b));
  document.querySelectorAll('.tab').forEach(t => t.classList.toggle('active', t.id === 'tab-' + b.dataset.tab));
}));

// ---- generate
for (const id of ['temperature', 'topP', 'minP', 'penalty']) {
  const input = $(id), out = $(id + '-value');
  const show = () => { out.textContent = Number(input.value).toFixed(2); };
  input.addEventListener('input', show);
  show();
}

function generationQuery(seed) {
  const q = new URLSearchParams();
  q.set('prime', $('prime').value);
  q.set('length', $('length').value);
  q.set('seed', String(seed));
  const stop = $('stop-at').value.replace(/\\n/g, '\n').replace(/\\t/g, '\t');
  if (stop.length > 0) q.set('stop', stop);
  const mode = $('mode').value;
  if (mode === 'beam') {
    q.set('beam', $('beam').value);
    return q;
  }
  if (mode === 'greedy') q.set('greedy', 'true'); else q.set('temperature', $('temperature').value);
  if (Number($('topK').value) > 0) q.set('topK', $('topK').value);
  if (Number($('topP').value) < 1) q.set('topP', $('topP').value);
  if (Number($('minP').value) > 0) q.set('minP', $('minP').value);
  if (Number($('penalty').value) > 1) { q.set('penalty', $('penalty').value); q.set('window', $('window').value); }
  return q;
}

async function stream(query, pre, header, clicked, firstChar) {
  const controller = new AbortController();
  running.push(controller);
  try {
    const r = await fetch('/api/generate?' + query, {signal: controller.signal});
    if (!r.ok) {
      const json = await r.json();
      throw new Error(json.error || ('HTTP ' + r.status));
    }
    const reader = r.body.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const {done, value} = await reader.read();
      if (done) break;
      const text = decoder.decode(value, {stream: true});
      if (text.length > 0 && firstChar.ms === null) {
        firstChar.ms = performance.now() - clicked;
        $('generate-status').dataset.firstCharMs = firstChar.ms.toFixed(1);
        $('generate-status').textContent = 'first character after ' + firstChar.ms.toFixed(1) + ' ms';
      }
      pre.appendChild(document.createTextNode(text));
    }
    header.textContent += ' — done';
  } catch (e) {
    if (e.name === 'AbortError') header.textContent += ' — stopped';
    else { header.textContent += ' — error'; pre.appendChild(el('span', ' ' + e.message, 'error')); }
  } finally {
    running = running.filter(c => c !== controller);
    if (running.length === 0) { $('generate').disabled = false; $('stop').disabled = true; }
  }
}

$('generate').addEventListener('click', () => {
  const clicked = performance.now();
  const outputs = $('outputs');
  outputs.textContent = '';
  const n = Math.max(1, Math.min(4, Number($('samples').value) || 1));
  const seed = Number($('seed').value) || 0;
  const firstChar = {ms: null};
  $('generate').disabled = true;
  $('stop').disabled = false;
  $('generate-status').textContent = 'generating…';
  delete $('generate-status').dataset.firstCharMs;
  for (let i = 0; i < n; i++) {
    const box = el('div', undefined, 'sample');
    const query = generationQuery(seed + i);
    const header = el('h4', 'seed ' + (seed + i) + ' · ' + describe(query));
    const pre = el('pre');
    pre.className = 'generated';
    box.append(header, pre);
    outputs.appendChild(box);
    stream(query, pre, header, clicked, firstChar);
  }
});

function describe(q) {
  const parts = [];
  for (const [k, v] of q) if (k !== 'prime' && k !== 'seed') parts.push(k + '=' + v);
  return parts.join(' ');
}

$('stop').addEventListener('click', () => running.forEach(c => c.abort()));

// ---- score
function surprisalColour(bits) {
  const x = Math.max(0, Math.min(1, bits / 8));
  return 'rgba(220, 38, 38, ' + (x * 0.85).toFixed(3) + ')';
}

function tooltip(target, lines) {
  const t = $('tooltip');
  t.textContent = lines.join('\n');
  t.hidden = false;
  const r = target.getBoundingClientRect();
  const left = Math.min(window.innerWidth - t.offsetWidth - 4, Math.max(4, r.left));
  t.style.left = left + 'px';
  t.style.top = (r.bottom + 4 + t.offsetHeight > window.innerHeight ? r.top - t.offsetHeight - 4 : r.bottom + 4) + 'px';
}

function shown(c) {
  return c === '\n' ? '↵' : c === ' ' ? '␣' : c === '\t' ? '⇥' : c;
}

$('score').addEventListener('click', async () => {
  const out = $('score-out');
  try {
    const s = await api('/api/score', {text: $('score-text').value});
    out.textContent = '';
    s.chars.forEach((c, i) => {
      const span = el('span', c.c);
      span.dataset.index = i;
      if (c.oov) {
        span.className = 'oov';
        span.dataset.tip = 'not in the vocabulary: skipped';
      } else if (c.p === undefined) {
        span.dataset.tip = 'first character: read, not predicted';
      } else {
        span.style.backgroundColor = surprisalColour(c.bits);
        span.dataset.bits = c.bits;
        span.dataset.tip = [shown(c.c) + '  p=' + c.p.toFixed(4) + '  ' + c.bits.toFixed(2) + ' bits', 'model expected:']
          .concat(c.top.map(([ch, p]) => '  ' + shown(ch) + '  ' + p.toFixed(4))).join('\n');
      }
      out.appendChild(span);
    });
    $('score-totals').textContent = s.bitsPerCharacter === null ? 'too few characters to predict'
      : s.bitsPerCharacter.toFixed(3) + ' bits/char · perplexity ' + s.perplexity.toFixed(2) + ' · '
        + s.predicted + ' characters predicted' + (s.outOfVocabulary ? ' · ' + s.outOfVocabulary + ' outside the vocabulary' : '');
  } catch (e) { showError(out, e); }
});

document.addEventListener('mouseover', e => {
  const span = e.target.closest && e.target.closest('.chars span');
  if (span && span.dataset.tip) tooltip(span, span.dataset.tip.split('\n'));
  else $('tooltip').hidden = true;
});

// ---- neurons
function unitColour(v) {
  const x = Math.max(-1, Math.min(1, v));
  return x >= 0 ? 'rgba(220, 38, 38, ' + (x * 0.8).toFixed(3) + ')' : 'rgba(37, 99, 235, ' + (-x * 0.8).toFixed(3) + ')';
}

function paintUnit() {
  const out = $('states-out');
  if (!states) return;
  const unit = Number($('unit').value);
  if (!(unit >= 0 && unit < states.units)) { showError(out, new Error('unit must be from 0 to ' + (states.units - 1))); return; }
  out.textContent = '';
  const chars = Array.from(states.text);
  chars.forEach((c, t) => {
    const v = states.values[t][unit];
    const span = el('span', c);
    span.style.backgroundColor = unitColour(v);
    span.dataset.value = v;
    span.dataset.tip = shown(c) + '  unit ' + unit + ' = ' + v.toFixed(3);
    out.appendChild(span);
  });
  const sat = states.saturation[unit];
  const mostly = states.saturation.filter(s => s > 0.5).length;
  $('states-status').textContent = states.kind + ' of layer ' + states.layer + ', unit ' + unit
    + ': saturated (|v| > 0.95) at ' + (sat * 100).toFixed(0) + '% of characters; '
    + mostly + ' of ' + states.units + ' units saturated more than half the time';
}

const SVG = 'http://www.w3.org/2000/svg';
function svgEl(tag, attrs) {
  const e = document.createElementNS(SVG, tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  return e;
}

// Karpathy's gate plot: one dot per unit, x = fraction left-saturated, y = fraction right-saturated.
function paintGates(g) {
  const box = $('gates'), out = $('gates-out');
  out.textContent = '';
  box.hidden = !g;
  if (!g) return;
  g.gates.forEach(gate => {
    const card = el('div', undefined, 'gate');
    card.dataset.gate = gate.name;
    card.appendChild(el('h4', gate.name + ' gate'));
    card.appendChild(el('div', 'left-saturated ' + (gate.meanLeft * 100).toFixed(1) + '%, right-saturated '
      + (gate.meanRight * 100).toFixed(1) + '% (mean of ' + gate.left.length + ' units)', 'gate-means'));
    const s = 150, m = 14, w = s - 2 * m;
    const svg = svgEl('svg', {viewBox: '0 0 ' + s + ' ' + s, role: 'img'});
    svg.appendChild(svgEl('rect', {x: m, y: m, width: w, height: w, fill: '#fff', stroke: '#ccc'}));
    svg.appendChild(svgEl('line', {x1: m, y1: m, x2: m + w, y2: m + w, stroke: '#ddd'}));
    const label = (x, y, t, anchor) => { const e = svgEl('text', {x, y, 'font-size': 9, fill: '#666', 'text-anchor': anchor}); e.textContent = t; svg.appendChild(e); };
    label(m, s - 2, '0', 'start');
    label(m + w, s - 2, 'left 1', 'end');
    label(m, m - 4, 'right 1', 'start');
    gate.left.forEach((l, u) => {
      const dot = svgEl('circle', {cx: m + l * w, cy: m + (1 - gate.right[u]) * w, r: 2.5, fill: 'rgba(43, 108, 176, .55)'});
      const title = svgEl('title', {});
      title.textContent = 'unit ' + u + ': left ' + (l * 100).toFixed(0) + '%, right ' + (gate.right[u] * 100).toFixed(0) + '%';
      dot.appendChild(title);
      svg.appendChild(dot);
    });
    card.appendChild(svg);
    out.appendChild(card);
  });
}

async function readStates() {
  const text = $('states-text').value;
  try {
    const s = await api('/api/states', {text, layer: Number($('layer').value), kind: $('kind').value});
    s.text = text;
    states = s;
    $('unit').max = s.units - 1;
    paintUnit();
    paintGates(s.gates);
  } catch (e) { showError($('states-out'), e); }
}

$('read').addEventListener('click', readStates);
$('unit').addEventListener('input', paintUnit);

$('find').addEventListener('click', async () => {
  const list = $('units-out');
  try {
    const r = await api('/api/units', {text: $('states-text').value, pattern: $('pattern').value,
      layer: Number($('layer').value), kind: $('kind').value, n: 10});
    list.textContent = '';
    r.units.forEach(u => {
      const li = el('li', 'unit ' + u.unit + ': score ' + u.score.toFixed(3) + ' (mean inside ' + u.meanInside.toFixed(3)
        + ', outside ' + u.meanOutside.toFixed(3) + ')');
      li.dataset.unit = u.unit;
      li.addEventListener('click', async () => { $('unit').value = u.unit; if (!states || states.text !== $('states-text').value) await readStates(); else paintUnit(); });
      list.appendChild(li);
    });
  } catch (e) { showError(list, e); }
});

$('use-selection').addEventListener('click', () => {
  const ta = $('states-text');
  const start = ta.selectionStart, end = ta.selectionEnd;
  if (end <= start) { showError($('units-out'), new Error('select a span of the text first')); return; }
  // exactly the selected span: its start offset by look-behind, its length by count
  $('pattern').value = '(?<=^[\\s\\S]{' + start + '})[\\s\\S]{' + (end - start) + '}';
});

// ---- model card
function row(table, k, v) {
  const tr = document.createElement('tr');
  tr.append(el('th', k), el('td', v));
  table.appendChild(tr);
}

function lossCurve(h) {
  const target = $('loss-curve');
  target.textContent = '';
  if (!h || h.steps.length === 0) { target.appendChild(el('p', 'no loss history in this model file', 'muted')); return; }
  const W = 600, H = 260, L = 48, B = 28, ns = 'http://www.w3.org/2000/svg';
  const all = h.loss.concat(h.validation.map(v => v[1])).filter(Number.isFinite);
  const lo = Math.min(...all), hi = Math.max(...all);
  const x0 = h.steps[0], x1 = Math.max(h.steps[h.steps.length - 1], x0 + 1);
  const X = s => L + (s - x0) / (x1 - x0) * (W - L - 8);
  const Y = v => 8 + (hi - v) / (hi - lo || 1) * (H - B - 8);
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
  const line = (xs, ys, colour, width) => {
    const p = document.createElementNS(ns, 'polyline');
    p.setAttribute('points', xs.map((s, i) => X(s).toFixed(1) + ',' + Y(ys[i]).toFixed(1)).join(' '));
    p.setAttribute('fill', 'none'); p.setAttribute('stroke', colour); p.setAttribute('stroke-width', width);
    svg.appendChild(p);
  };
  const text = (x, y, s, anchor) => {
    const t = document.createElementNS(ns, 'text');
    t.setAttribute('x', x); t.setAttribute('y', y); t.setAttribute('font-size', '11'); t.setAttribute('text-anchor', anchor || 'start');
    t.textContent = s; svg.appendChild(t);
  };
  line(h.steps, h.loss, '#cbd5e1', 1);
  line(h.steps, h.smooth, '#2b6cb0', 2);
  if (h.validation.length) line(h.validation.map(v => v[0]), h.validation.map(v => v[1]), '#dd6b20', 2);
  text(L - 4, Y(hi) + 4, hi.toFixed(2), 'end'); text(L - 4, Y(lo), lo.toFixed(2), 'end');
  text(X(x0), H - 8, 'step ' + x0); text(X(x1), H - 8, 'step ' + x1, 'end');
  text(L + 6, 18, 'nats/char: training (grey), smoothed (blue), validation (orange)');
  target.appendChild(svg);
}

async function loadModel() {
  try {
    model = await api('/api/model');
  } catch (e) { showError($('model-summary'), e); return; }
  $('model-summary').textContent = model.cell + ' · ' + model.layers + '×' + model.hidden + ' · '
    + model.vocabulary.length + ' characters · ' + model.parameters.toLocaleString('en') + ' parameters';
  const t = $('model-table');
  row(t, 'cell', model.cell + (model.cell === 'RNN' ? ' (' + model.activation.toLowerCase() + ')' : ''));
  row(t, 'size', model.layers + ' layer' + (model.layers > 1 ? 's' : '') + ' × ' + model.hidden + ' units');
  row(t, 'input', model.embedding > 0 ? 'embedding of ' + model.embedding : 'one-hot');
  row(t, 'dropout', String(model.dropout));
  row(t, 'parameters', model.parameters.toLocaleString('en'));
  row(t, 'vocabulary', model.vocabulary.length + ' characters');
  if (model.training) {
    const tr = model.training;
    row(t, 'trained', tr.steps.toLocaleString('en') + ' steps, ' + tr.characters.toLocaleString('en') + ' characters');
    row(t, 'last loss', Number.isFinite(tr.loss) ? (tr.loss / Math.LN2).toFixed(3) + ' bits/char' : '—');
    row(t, 'validation', Number.isFinite(tr.validationLoss) ? (tr.validationLoss / Math.LN2).toFixed(3) + ' bits/char' : '—');
    row(t, 'trainer', tr.trainer);
  }
  lossCurve(model.training && model.training.history);
  const v = $('vocabulary');
  model.vocabulary.forEach(c => v.appendChild(el('span', shown(c))));
  const n = $('norms');
  const head = document.createElement('tr');
  ['tensor', 'values', 'L2 norm', 'RMS', 'max |w|'].forEach(h => head.appendChild(el('th', h)));
  n.appendChild(head);
  model.norms.forEach(p => {
    const tr = document.createElement('tr');
    [p.name, p.size.toLocaleString('en'), p.l2.toFixed(3), p.rms.toFixed(4), p.maxAbs.toFixed(3)].forEach(x => tr.appendChild(el('td', x)));
    n.appendChild(tr);
  });
  for (let i = 0; i < model.layers; i++) $('layer').appendChild(new Option(String(i), String(i)));
  if (model.cell === 'LSTM') $('kind').appendChild(new Option('c (LSTM cell)', 'c'));
  $('length').max = model.limits.length;
  $('beam').max = model.limits.beam;
  $('unit').max = model.hidden - 1;
  const sample = model.vocabulary.includes('(') ? 'He said (quietly) that "it was late" and left.\n'
    : 'First Citizen:\nBefore we proceed any further, hear me speak.\n';
  $('score-text').value = sample;
  $('states-text').value = sample.repeat(3);
}

loadModel();
