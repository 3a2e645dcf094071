/**
 * The HTML timeline's script, inlined in every page. It reads the page's JSON blob (`#timeline-data`,
 * a `TimelinePage`) and draws it as SVG: a header, one lane per role, faults, barriers, arrows, log
 * points and failure markers; wheel or buttons to zoom, drag to pan, filters by role and message
 * type, and a search over log lines. Plain browser JavaScript with no dependency; every text from
 * the trace is escaped before it reaches the markup. When it has drawn the page it sets
 * `document.body.dataset.rendered` to the milliseconds since navigation started.
 */
export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('timeline-data').textContent);
  var LABEL_W = 150, AXIS_H = 34, LANE_H = 84, RIGHT_PAD = 16;
  var state = {
    v0: 0, v1: Math.max(data.endMs, 1),
    hiddenRoles: new Set(), hiddenTypes: new Set(), search: ''
  };
  var chart = document.getElementById('chart');
  var tip = document.getElementById('tip');
  var svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  chart.appendChild(svg);

  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var key in attrs || {}) node.setAttribute(key, attrs[key]);
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function fmt(ms) {
    var abs = Math.abs(ms);
    if (abs >= 10000) return (ms / 1000).toFixed(1) + ' s';
    if (abs >= 1000) return (ms / 1000).toFixed(2) + ' s';
    if (abs >= 10 || ms === 0) return Math.round(ms) + ' ms';
    return ms.toFixed(1) + ' ms';
  }
  function causeText(role) {
    if (role.cause === 'root-cause') return 'root cause';
    if (role.cause === 'consequence') return 'consequence';
    return '';
  }

  // ---- header, failures, controls (built once) ----
  function buildHeader() {
    var header = document.getElementById('header');
    var h1 = el('h1');
    h1.appendChild(el('span', { class: 'verdict ' + data.verdict }, data.verdict));
    h1.appendChild(document.createTextNode(data.titles.length ? data.titles.join(' \u203a ') : data.test));
    header.appendChild(h1);
    header.appendChild(el('div', { class: 'muted' }, data.file + ' \u00b7 seed ' + data.seed + ' \u00b7 mode ' + data.mode + ' \u00b7 ' + fmt(data.endMs) + ' drawn'));
    var row = el('div', { class: 'row' });
    var roles = el('table', { id: 'verdicts' });
    roles.appendChild(el('tr')).innerHTML = '<th>role</th><th>verdict</th><th>time</th><th></th>';
    data.roles.forEach(function (role) {
      var tr = el('tr', { 'data-role': role.role });
      tr.appendChild(el('td', {}, role.role));
      tr.appendChild(el('td', { class: 'status-' + role.status }, role.status));
      tr.appendChild(el('td', {}, fmt(role.durationMs)));
      tr.appendChild(el('td', { class: role.cause === 'root-cause' ? 'status-failed' : 'muted' }, causeText(role)));
      roles.appendChild(tr);
    });
    row.appendChild(roles);
    var phases = el('table', { id: 'phases', class: data.phases.length > 6 ? 'scroll' : '' });
    phases.appendChild(el('tr')).innerHTML = '<th>phase</th><th>time</th>';
    data.phases.forEach(function (phase) {
      var tr = el('tr');
      tr.appendChild(el('td', {}, phase.name));
      tr.appendChild(el('td', {}, fmt(phase.endMs - phase.startMs)));
      phases.appendChild(tr);
    });
    row.appendChild(phases);
    var counts = el('table');
    [['messages', data.messageSummary.total], ['faults', data.faults.length], ['barrier spans', data.barriers.length], ['log lines', data.logs.length]].forEach(function (pair) {
      var tr = el('tr');
      tr.appendChild(el('th', {}, pair[0]));
      tr.appendChild(el('td', {}, String(pair[1])));
      counts.appendChild(tr);
    });
    row.appendChild(counts);
    header.appendChild(row);
    if (data.rerun) {
      var rerun = el('div', { class: 'row' });
      rerun.appendChild(el('span', { class: 'muted' }, 'rerun:'));
      rerun.appendChild(el('code', { class: 'rerun', id: 'rerun' }, data.rerun));
      header.appendChild(rerun);
    }
    var summary = data.messageSummary;
    if (summary.bundled) {
      header.appendChild(el('div', { class: 'notice', id: 'bundled' },
        summary.total + ' messages are more than ' + summary.threshold + ', so they are drawn as ' + summary.arrows +
        ' arrows: messages of one type on one link with the same fate sent within the same ' + fmt(summary.bundleSlotMs) + ' share an arrow, whose thickness and hover text give their count.'));
    }
    if (summary.omittedFromTrace > 0) {
      header.appendChild(el('div', { class: 'notice' }, summary.omittedFromTrace + ' node messages of this file were left out of the trace (per-role cap reached), so some arrows are missing.'));
    }
  }

  function buildFailures() {
    var section = document.getElementById('failures');
    if (data.failures.length === 0) { section.remove(); return; }
    section.appendChild(el('h2', {}, 'Failures (root causes first, each consequence under its root cause)'));
    function failureEntry(failure) {
      var div = el('div', { class: 'failure ' + failure.cause });
      div.appendChild(el('strong', {}, failure.role));
      var what = failure.cause === 'root-cause' ? 'root cause' : 'consequence' + (failure.rootRole ? ' of ' + failure.rootRole + "'s failure" : '');
      div.appendChild(el('span', { class: 'muted' }, ' ' + what + ' at ' + fmt(failure.ms)));
      failure.messages.forEach(function (message) { div.appendChild(el('pre', {}, message)); });
      if (failure.codeFrame) div.appendChild(el('pre', { class: 'code-frame' }, 'at ' + failure.codeFrame.location + '\n' + failure.codeFrame.lines.join('\n')));
      return div;
    }
    var roots = data.failures.filter(function (f) { return f.cause === 'root-cause'; });
    var rootRoles = roots.map(function (f) { return f.role; });
    roots.forEach(function (root) { section.appendChild(failureEntry(root)); });
    if (data.firstAnomaly) {
      var a = data.firstAnomaly;
      section.appendChild(el('div', { class: 'first-anomaly' }, 'First anomaly, before ' + rootRoles.join(', ') + ' failed: ' + fmt(a.ms) + '  ' + a.role + '  ' + a.kind + '  ' + a.text));
    } else if (roots.length > 0) {
      section.appendChild(el('div', { class: 'first-anomaly muted' }, 'No anomaly in the trace before ' + rootRoles.join(', ') + ' failed (no drop, fault, failed barrier, crash, error or warn log).'));
    }
    roots.forEach(function (root) {
      data.failures.forEach(function (f) {
        if (f.cause === 'consequence' && f.rootRole === root.role) section.appendChild(failureEntry(f)).classList.add('grouped');
      });
    });
    data.failures.forEach(function (f) {
      if (f.cause === 'consequence' && rootRoles.indexOf(f.rootRole) === -1) section.appendChild(failureEntry(f));
    });
  }

  function buildControls() {
    var controls = document.getElementById('controls');
    [['\u2212', 'zoom-out', function () { zoom(2, (state.v0 + state.v1) / 2); render(); }],
     ['+', 'zoom-in', function () { zoom(0.5, (state.v0 + state.v1) / 2); render(); }],
     ['fit', 'zoom-fit', function () { state.v0 = 0; state.v1 = Math.max(data.endMs, 1); render(); }]].forEach(function (b) {
      var button = el('button', { id: b[1], type: 'button' }, b[0]);
      button.addEventListener('click', b[2]);
      controls.appendChild(button);
    });
    var roles = el('span', { id: 'role-filter' });
    roles.appendChild(el('span', { class: 'muted' }, 'roles: '));
    data.roles.forEach(function (role) {
      var label = el('label');
      var box = el('input', { type: 'checkbox', 'data-role': role.role });
      box.checked = true;
      box.addEventListener('change', function () { toggle(state.hiddenRoles, role.role, !box.checked); });
      label.appendChild(box);
      label.appendChild(document.createTextNode(role.role));
      roles.appendChild(label);
    });
    controls.appendChild(roles);
    if (data.messageTypes.length > 0) {
      var details = el('details', { id: 'type-filter' });
      details.appendChild(el('summary', {}, 'message types (' + data.messageTypes.length + ')'));
      var list = el('div');
      data.messageTypes.forEach(function (entry) {
        var label = el('label');
        var box = el('input', { type: 'checkbox', 'data-type': entry.type });
        box.checked = true;
        box.addEventListener('change', function () { toggle(state.hiddenTypes, entry.type, !box.checked); });
        label.appendChild(box);
        label.appendChild(document.createTextNode(entry.type + ' (' + entry.count + ')'));
        list.appendChild(label);
        list.appendChild(el('br'));
      });
      details.appendChild(list);
      controls.appendChild(details);
    }
    var search = el('input', { type: 'search', id: 'search', placeholder: 'search log lines' });
    search.addEventListener('input', function () { state.search = search.value.trim().toLowerCase(); render(); });
    controls.appendChild(search);
    controls.appendChild(el('span', { class: 'muted', id: 'search-count' }));
    controls.appendChild(el('span', { class: 'muted' }, 'wheel: zoom \u00b7 drag: pan'));
  }

  function toggle(set, key, hidden) {
    if (hidden) set.add(key); else set.delete(key);
    render();
  }

  // ---- the chart ----
  function niceStep(span, count) {
    var raw = span / count, power = Math.pow(10, Math.floor(Math.log10(raw))), steps = [1, 2, 5, 10];
    for (var i = 0; i < steps.length; i++) if (steps[i] * power >= raw) return steps[i] * power;
    return 10 * power;
  }

  function render() {
    var width = Math.max(chart.clientWidth, 400);
    var plotW = width - LABEL_W - RIGHT_PAD;
    var span = state.v1 - state.v0;
    var x = function (ms) { return LABEL_W + ((ms - state.v0) / span) * plotW; };
    var inView = function (a, b) { return b >= state.v0 - span * 0.02 && a <= state.v1 + span * 0.02; };
    var visible = data.roles.filter(function (role) { return !state.hiddenRoles.has(role.role); });
    var laneOf = {};
    visible.forEach(function (role, i) { laneOf[role.role] = AXIS_H + i * LANE_H; });
    var mid = function (role) { return laneOf[role] + LANE_H / 2; };
    var height = AXIS_H + visible.length * LANE_H + 8;
    var out = [];
    var tipAttr = function (text) { return ' data-tip="' + esc(text) + '"'; };

    out.push('<defs><clipPath id="plot"><rect x="' + LABEL_W + '" y="0" width="' + plotW + '" height="' + height + '"/></clipPath>' +
      '<marker id="head" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#475467"/></marker></defs>');
    visible.forEach(function (role, i) {
      out.push('<g class="lane" data-role="' + esc(role.role) + '"><rect class="lane-bg' + (i % 2 ? ' odd' : '') + '" x="0" y="' + laneOf[role.role] + '" width="' + width + '" height="' + LANE_H + '"/></g>');
    });
    out.push('<g clip-path="url(#plot)">');
    var step = niceStep(span, Math.max(2, Math.floor(plotW / 110)));
    out.push('<g class="axis">');
    for (var t = Math.ceil(state.v0 / step) * step; t <= state.v1; t += step) {
      out.push('<line x1="' + x(t) + '" x2="' + x(t) + '" y1="' + (AXIS_H - 6) + '" y2="' + height + '" stroke-opacity=".5"/><text x="' + (x(t) + 3) + '" y="' + (AXIS_H - 20) + '">' + esc(fmt(t)) + '</text>');
    }
    out.push('</g>');
    data.phases.forEach(function (phase) {
      if (phase.startMs <= 0 || !inView(phase.startMs, phase.startMs)) return;
      out.push('<line class="phase-line" x1="' + x(phase.startMs) + '" x2="' + x(phase.startMs) + '" y1="' + (AXIS_H - 12) + '" y2="' + height + '"/>');
      // A phase's name only where it fits before the next phase starts (about 6 px a character).
      if (x(phase.endMs) - x(phase.startMs) > phase.name.length * 6 + 6) {
        out.push('<text class="phase-label" x="' + (x(phase.startMs) + 3) + '" y="' + (AXIS_H - 4) + '">' + esc(phase.name) + '</text>');
      }
    });
    data.faults.forEach(function (fault, index) {
      if (!inView(fault.startMs, fault.endMs)) return;
      var text = fault.label + '\n' + fmt(fault.startMs) + ' \u2192 ' + (fault.open ? 'still in force at the end' : fmt(fault.endMs));
      fault.roles.forEach(function (role) {
        if (laneOf[role] === undefined) return;
        var x0 = x(fault.startMs), w = Math.max(2, x(fault.endMs) - x0);
        out.push('<rect class="fault-window fault-' + fault.kind + '" data-fault="' + index + '" x="' + x0 + '" y="' + (laneOf[role] + 2) + '" width="' + w + '" height="' + (LANE_H - 4) + '"' + tipAttr(text) + '/>' +
          '<text class="fault-label" x="' + (Math.max(x0, LABEL_W) + 3) + '" y="' + (laneOf[role] + 12) + '">' + esc(fault.label) + '</text>');
      });
    });
    data.barriers.forEach(function (barrier) {
      if (laneOf[barrier.role] === undefined || !inView(barrier.startMs, barrier.endMs)) return;
      var x0 = x(barrier.startMs), w = Math.max(2, x(barrier.endMs) - x0), y = mid(barrier.role) + 12;
      var what = (barrier.gather ? 'gather ' : 'barrier ') + "'" + barrier.name + "'";
      out.push('<rect class="barrier-span outcome-' + barrier.outcome + '" x="' + x0 + '" y="' + y + '" width="' + w + '" height="9" rx="2"' +
        tipAttr(barrier.role + ' in ' + what + ' ' + fmt(barrier.startMs) + ' \u2192 ' + fmt(barrier.endMs) + ' (' + fmt(barrier.endMs - barrier.startMs) + ', ' + barrier.outcome + ')') + '/>');
      if (w > 40) out.push('<text class="barrier-label" x="' + (Math.max(x0, LABEL_W) + 2) + '" y="' + (y + 19) + '">' + esc(what) + '</text>');
    });
    var arrows = 0;
    data.messages.forEach(function (m) {
      if (laneOf[m.from] === undefined || laneOf[m.to] === undefined || state.hiddenTypes.has(m.type)) return;
      var end = m.receiveMs !== null ? m.receiveMs : m.dropped !== null ? m.sendMs : data.endMs;
      if (!inView(m.sendMs, end)) return;
      arrows++;
      var x1 = x(m.sendMs), y1 = mid(m.from), y2 = mid(m.to);
      var label = (m.count > 1 ? m.count + ' \u00d7 ' : '#' + m.seq + ' ') + m.type + '  ' + m.from + ' \u2192 ' + m.to + '\nsent ' + fmt(m.sendMs);
      var width = m.count > 1 ? Math.min(4, 1 + Math.log2(m.count) / 2) : 1.2;
      if (m.dropped !== null) {
        // Faults apply when a message is sent: it dies on the link, drawn a third of the way over.
        var xd = x1 + 14, yd = y1 + (y2 - y1) / 3;
        out.push('<g class="message-arrow dropped" data-from="' + esc(m.from) + '" data-to="' + esc(m.to) + '"' + tipAttr(label + ', dropped (' + m.dropped + ')') + '>' +
          '<line class="message-arrow dropped" x1="' + x1 + '" y1="' + y1 + '" x2="' + xd + '" y2="' + yd + '" stroke-width="' + width + '"/>' +
          '<path class="drop-mark" d="M' + (xd - 4) + ',' + (yd - 4) + 'L' + (xd + 4) + ',' + (yd + 4) + 'M' + (xd - 4) + ',' + (yd + 4) + 'L' + (xd + 4) + ',' + (yd - 4) + '"/></g>');
        return;
      }
      var lost = m.receiveMs === null;
      var tail = lost ? ', not received before the end' : ', received ' + fmt(m.receiveMs) + (m.delayMs > 0 ? ' (delayed ' + fmt(m.delayMs) + ')' : '');
      out.push('<line class="message-arrow' + (lost ? ' lost' : '') + (m.count > 1 ? ' bundle' : '') + '" data-from="' + esc(m.from) + '" data-to="' + esc(m.to) + '" x1="' + x1 + '" y1="' + y1 + '" x2="' + x(end) + '" y2="' + y2 +
        '" stroke-width="' + width + '" marker-end="url(#head)"' + tipAttr(label + tail) + '/>');
    });
    var matches = 0;
    data.logs.forEach(function (log) {
      if (laneOf[log.role] === undefined || !inView(log.ms, log.ms)) return;
      var match = state.search !== '' && log.text.toLowerCase().indexOf(state.search) >= 0;
      if (match) matches++;
      out.push('<circle class="log-point level-' + log.level + (match ? ' match' : '') + '" cx="' + x(log.ms) + '" cy="' + (mid(log.role) - 16) + '" r="4"' +
        tipAttr(log.role + ' ' + fmt(log.ms) + ' ' + log.level + '\n' + log.text) + '/>');
    });
    data.failures.forEach(function (failure) {
      if (laneOf[failure.role] === undefined || !inView(failure.ms, failure.ms)) return;
      var fx = x(failure.ms), fy = mid(failure.role);
      var first = (failure.messages[0] || '').split('\n')[0];
      out.push('<path class="failure-marker ' + failure.cause + '" data-role="' + esc(failure.role) + '" d="M' + fx + ',' + (fy - 9) + 'L' + (fx + 9) + ',' + fy + 'L' + fx + ',' + (fy + 9) + 'L' + (fx - 9) + ',' + fy + 'z"' +
        tipAttr(failure.role + ' failed (' + failure.cause + ') at ' + fmt(failure.ms) + '\n' + failure.messages.join('\n\n')) + '/>' +
        '<text class="failure-label" text-anchor="end" x="' + (fx - 12) + '" y="' + (fy + 4) + '">' + esc(first.length > 90 ? first.slice(0, 89) + '\u2026' : first) + '</text>');
    });
    out.push('</g>');
    visible.forEach(function (role) {
      var y = laneOf[role.role];
      out.push('<rect x="0" y="' + y + '" width="' + (LABEL_W - 4) + '" height="' + LANE_H + '" fill="#fff" fill-opacity=".85"/>' +
        '<text class="lane-label" x="10" y="' + (y + LANE_H / 2 - 2) + '">' + esc(role.role) + '</text>' +
        '<text class="lane-status status-' + role.status + '" x="10" y="' + (y + LANE_H / 2 + 14) + '">' + esc(role.status + (role.cause ? ' \u00b7 ' + causeText(role) : '')) + '</text>');
    });
    svg.setAttribute('width', width);
    svg.setAttribute('height', height);
    svg.setAttribute('class', state.search !== '' ? 'searching' : '');
    svg.innerHTML = out.join('');
    document.getElementById('search-count').textContent = state.search === '' ? '' : matches + ' matching log lines in view';
    chart.dataset.arrows = String(arrows);
    renderResults();
  }

  function renderResults() {
    var results = document.getElementById('results');
    results.textContent = '';
    if (state.search === '') { results.appendChild(el('span', { class: 'muted' }, 'Type in the search box to list matching log lines; click one to zoom to it.')); return; }
    var found = data.logs.filter(function (log) { return !state.hiddenRoles.has(log.role) && log.text.toLowerCase().indexOf(state.search) >= 0; });
    found.slice(0, 500).forEach(function (log) {
      var line = el('div', {}, fmt(log.ms) + '  ' + log.role + '  ' + log.level + '  ' + log.text);
      line.addEventListener('click', function () {
        var half = Math.max((state.v1 - state.v0) / 8, 0.5);
        state.v0 = log.ms - half; state.v1 = log.ms + half; render();
      });
      results.appendChild(line);
    });
    if (found.length > 500) results.appendChild(el('span', { class: 'muted' }, (found.length - 500) + ' more not listed'));
    if (found.length === 0) results.appendChild(el('span', { class: 'muted' }, 'No log line matches.'));
  }

  // Wheel, drag and resize come many times a frame: they draw once per frame. Clicks and typing draw at once.
  var pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; render(); });
  }

  function zoom(factor, at) {
    var span = Math.min(Math.max((state.v1 - state.v0) * factor, 0.05), Math.max(data.endMs, 1) * 4);
    var ratio = (at - state.v0) / (state.v1 - state.v0);
    state.v0 = at - ratio * span; state.v1 = state.v0 + span;
  }
  function msAt(clientX) {
    var rect = svg.getBoundingClientRect(), plotW = rect.width - LABEL_W - RIGHT_PAD;
    return state.v0 + ((clientX - rect.left - LABEL_W) / plotW) * (state.v1 - state.v0);
  }
  svg.addEventListener('wheel', function (event) {
    event.preventDefault();
    zoom(Math.exp(event.deltaY * 0.002), msAt(event.clientX));
    schedule();
  }, { passive: false });
  var drag = null;
  svg.addEventListener('pointerdown', function (event) {
    drag = { x: event.clientX, v0: state.v0, v1: state.v1 };
    svg.setPointerCapture(event.pointerId);
    svg.classList.add('panning');
  });
  svg.addEventListener('pointermove', function (event) {
    if (drag) {
      var plotW = svg.getBoundingClientRect().width - LABEL_W - RIGHT_PAD;
      var shift = ((event.clientX - drag.x) / plotW) * (drag.v1 - drag.v0);
      state.v0 = drag.v0 - shift; state.v1 = drag.v1 - shift; schedule();
      return;
    }
    var target = event.target.closest ? event.target.closest('[data-tip]') : null;
    if (!target) { tip.style.display = 'none'; return; }
    tip.textContent = target.getAttribute('data-tip');
    tip.style.display = 'block';
    tip.style.left = Math.min(event.clientX + 12, window.innerWidth - tip.offsetWidth - 8) + 'px';
    tip.style.top = (event.clientY + 14) + 'px';
  });
  svg.addEventListener('pointerup', function () { drag = null; svg.classList.remove('panning'); });
  svg.addEventListener('pointerleave', function () { tip.style.display = 'none'; });
  window.addEventListener('resize', schedule);

  buildHeader();
  buildFailures();
  buildControls();
  render();
  document.body.dataset.rendered = String(Math.round(performance.now()));
})();
`;
