// The stylesheet and the script every HTML report carries inline. The script reads the report's
// data from a <script type="application/json"> element and builds every element from it with
// textContent and properties, never with markup strings, so nothing the input names can become
// markup or code. It records errors and Content-Security-Policy violations on <html data-errors>
// and marks <html data-ready="1"> when it has finished, for the browser tests.
#include "ztnet/report/html/page.h"

namespace ztnet::report::html {

std::string_view page_style() {
    return R"CSS(
:root { --fg: #1d2330; --muted: #5b6474; --line: #d5dae3; --bg: #ffffff; --panel: #f5f7fa;
  --critical: #a3001b; --high: #d9480f; --medium: #b8860b; --low: #5b6474; --ok: #2b8a3e; --accent: #1c5fb8; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  color: var(--fg); background: var(--bg); }
header.top { padding: 18px 28px 12px; border-bottom: 1px solid var(--line); background: var(--panel); }
header.top h1 { margin: 0 0 4px; font-size: 21px; }
header.top p { margin: 2px 0; color: var(--muted); overflow-wrap: anywhere; }
main { padding: 8px 28px 40px; max-width: 1500px; }
section { margin-top: 22px; }
h2 { font-size: 17px; margin: 0 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 14px 0 6px; }
code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; min-width: 130px; background: var(--panel); }
.card .n { font-size: 24px; font-weight: 650; }
.card.critical .n { color: var(--critical); } .card.high .n { color: var(--high); }
.card.medium .n { color: var(--medium); } .card.low .n { color: var(--low); }
.scores svg { display: block; }
.score-bar { fill: var(--line); } .score-fill { fill: var(--ok); } .score-fill.weak { fill: var(--high); }
.score-fill.fair { fill: var(--medium); } .score-text { font-size: 13px; fill: var(--fg); }
.topology-wrap { overflow: auto; max-height: 82vh; border: 1px solid var(--line); border-radius: 8px; background: #fbfcfe; }
svg.topology { display: block; font-size: 12px; }
svg.topology text { fill: var(--fg); }
.vnet-box { fill: #eef3fb; stroke: #8aa4c8; stroke-width: 1.2; }
.vnet.hub .vnet-box { fill: #e6f0ff; stroke: var(--accent); stroke-width: 2; }
.vnet-name { font-weight: 650; font-size: 13px; } .vnet-space, .vnet-summary { fill: var(--muted); font-size: 11.5px; }
svg.topology .vnet-space, svg.topology .vnet-summary, svg.topology .subnet-meta { fill: var(--muted); }
.subnet-box { fill: #ffffff; stroke: #b9c3d3; stroke-width: 1; }
.subnet { cursor: pointer; } .subnet:hover .subnet-box, .subnet:focus .subnet-box { stroke: var(--accent); stroke-width: 2; }
.subnet-name { font-weight: 600; } .subnet-meta { font-size: 11px; } .badges { font-size: 10.5px; }
svg.topology .badges { fill: var(--accent); } svg.topology .count { fill: var(--high); font-weight: 650; }
.alarm-low > .subnet-box { stroke: var(--low); stroke-width: 1.5; }
.alarm-medium > .subnet-box, .alarm-medium > .vnet-box { stroke: var(--medium); stroke-width: 2; }
.alarm-high > .subnet-box, .alarm-high > .vnet-box { stroke: var(--high); stroke-width: 2.2; }
.alarm-critical > .subnet-box, .alarm-critical > .vnet-box { stroke: var(--critical); stroke-width: 3; }
.exposed > .subnet-box { fill: #fff6e0; } .exposed-management > .subnet-box { fill: #ffe3e3; }
.intent-violated > .subnet-box { stroke-dasharray: 5 3; }
.newly-reached > .subnet-box { stroke: var(--accent); stroke-width: 3; stroke-dasharray: 2 2; }
.card.added .n { color: var(--high); } .card.removed .n { color: var(--ok); }
.internet-box { fill: #fff; stroke: #6b7a90; stroke-width: 1.5; } .internet-name { font-weight: 650; }
.peering { stroke: #7d93b5; stroke-width: 2; } .peering.hub-connection { stroke: var(--accent); stroke-width: 2.5; }
.peering.one-way { stroke-dasharray: 6 4; }
.entry { fill: none; stroke: #e8a33d; stroke-width: 1.6; } .entry.management { stroke: var(--critical); stroke-width: 2.2; }
.legend { color: var(--muted); font-size: 12.5px; margin: 6px 0 0; }
.legend span { display: inline-block; margin-right: 14px; }
.filters { display: flex; flex-wrap: wrap; gap: 10px 16px; align-items: center; padding: 8px 10px;
  background: var(--panel); border: 1px solid var(--line); border-radius: 8px; }
.filters label { white-space: nowrap; } .filters input[type=search] { width: 260px; max-width: 100%; }
.count-line { color: var(--muted); margin: 8px 0; }
.group-head { margin: 14px 0 4px; font-weight: 650; }
details.finding { border: 1px solid var(--line); border-left: 4px solid var(--low); border-radius: 6px;
  margin: 4px 0; background: #fff; }
details.finding.sev-critical { border-left-color: var(--critical); } details.finding.sev-high { border-left-color: var(--high); }
details.finding.sev-medium { border-left-color: var(--medium); }
details.finding > summary { cursor: pointer; padding: 6px 10px; overflow-wrap: anywhere; }
details.finding .body { padding: 4px 14px 10px; border-top: 1px solid var(--line); overflow-wrap: anywhere; }
.sev { display: inline-block; min-width: 62px; font-weight: 650; text-transform: uppercase; font-size: 11px; }
.sev-critical .sev { color: var(--critical); } .sev-high .sev { color: var(--high); }
.sev-medium .sev { color: var(--medium); } .sev-low .sev { color: var(--low); }
.suppressed { opacity: 0.7; }
table { border-collapse: collapse; } td, th { border: 1px solid var(--line); padding: 3px 7px; text-align: left;
  vertical-align: top; overflow-wrap: anywhere; }
table.hops td:nth-child(3) { font-weight: 600; }
table.intent { width: 100%; } table.intent td:nth-child(-n+2) { min-width: 130px; }
table.intent td:nth-child(3) { min-width: 100px; }
td.short { white-space: nowrap; overflow-wrap: normal; } th { overflow-wrap: normal; }
.topology-wrap svg { margin: 0 auto; }
details > summary { cursor: pointer; } section details { margin: 6px 0; }
.verdict-allowed { color: var(--critical); } .verdict-denied { color: var(--ok); } .verdict-undecidable { color: var(--medium); }
.matrix-wrap { overflow: auto; max-height: 75vh; border: 1px solid var(--line); }
table.matrix td { width: 18px; height: 18px; padding: 0; cursor: pointer; }
table.matrix th { font-weight: 500; font-size: 11.5px; white-space: nowrap; max-width: 220px; overflow: hidden; text-overflow: ellipsis; }
table.matrix thead th { writing-mode: vertical-rl; transform: rotate(180deg); height: 140px; }
.h0 { background: #fff; } .h1 { background: #fde2c8; } .h2 { background: #f9b27c; } .h3 { background: #ec6d3a; }
.h4 { background: #b3261e; } .hu { background: #d9d2f3; } .hs { outline: 2px solid var(--accent); }
.matrix-detail { margin: 8px 0; min-height: 1.5em; overflow-wrap: anywhere; }
.verdict-box { padding: 8px 12px; border-radius: 8px; font-weight: 650; display: inline-block; }
.verdict-box.holds { background: #e3f6e8; color: var(--ok); } .verdict-box.fails { background: #ffe3e3; color: var(--critical); }
.note { color: var(--muted); }
button { font: inherit; padding: 4px 12px; }
@media print { .filters, button { display: none; } .topology-wrap, .matrix-wrap { max-height: none; overflow: visible; } }
)CSS";
}

std::string_view page_script() {
    return R"JS(
(function () {
  'use strict';
  var root = document.documentElement;
  var errors = [];
  function fail(message) { errors.push(String(message)); root.setAttribute('data-errors', errors.join(' | ')); }
  window.addEventListener('error', function (e) { fail(e.message || 'script error'); });
  document.addEventListener('securitypolicyviolation', function (e) {
    fail('content security policy: ' + e.violatedDirective + ' ' + (e.blockedURI || ''));
  });

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function byId(id) { return document.getElementById(id); }
  var data = JSON.parse(byId('ztnet-data').textContent);
  var SEVERITIES = ['low', 'medium', 'high', 'critical'];
  var PRINCIPLES = data.principles || [];
  function place(file, line, column) {
    if (file < 0 || !data.files || file >= data.files.length) return '';
    return data.files[file] + (line > 0 ? ':' + line + (column > 0 ? ':' + column : '') : '');
  }

  // ---- findings ----
  // A finding: [check, name, message, file, line, column, evidence, suppressed, fingerprint, id,
  // trace, flow]; names, messages, ids, evidence and hop texts are indices into data.strings.
  var F = { check: 0, name: 1, message: 2, file: 3, line: 4, column: 5, evidence: 6, suppressed: 7,
            fingerprint: 8, id: 9, trace: 10, flow: 11 };
  var S = data.strings || [];
  var findings = data.findings || [];
  var haystacks = null;
  var state = { shown: 200, matching: [] };

  function checkOf(f) { return data.checks[f[F.check]] || { t: '', s: 0, p: [] }; }
  function haystack(i) {
    if (!haystacks) haystacks = new Array(findings.length);
    if (haystacks[i] === undefined) {
      var f = findings[i];
      haystacks[i] = (f[F.check] + '\n' + S[f[F.name]] + '\n' + S[f[F.message]] + '\n' + S[f[F.id]]).toLowerCase();
    }
    return haystacks[i];
  }
  function filters() {
    var severities = {};
    SEVERITIES.forEach(function (s, k) { var box = byId('f-sev-' + s); severities[k] = !box || box.checked; });
    return {
      severities: severities,
      principle: byId('f-principle') ? byId('f-principle').value : '',
      check: byId('f-check') ? byId('f-check').value : '',
      text: byId('f-text') ? byId('f-text').value.trim().toLowerCase() : '',
      suppressed: byId('f-suppressed') ? byId('f-suppressed').checked : true,
      group: byId('f-group') ? byId('f-group').value : 'severity'
    };
  }
  function matches(i, want) {
    var f = findings[i], c = checkOf(f);
    if (!want.severities[c.s]) return false;
    if (want.check && f[F.check] !== want.check) return false;
    if (want.principle !== '' && c.p.indexOf(Number(want.principle)) < 0) return false;
    if (!want.suppressed && f[F.suppressed] !== null) return false;
    if (want.text) {
      var words = want.text.split(/\s+/);
      for (var w = 0; w < words.length; ++w) if (haystack(i).indexOf(words[w]) < 0) return false;
    }
    return true;
  }
  function groupsOf(i, how) {
    var f = findings[i], c = checkOf(f);
    if (how === 'principle') return c.p.map(function (p) { return PRINCIPLES[p]; });
    if (how === 'check') return [f[F.check] + ' ' + c.t];
    if (how === 'resource') return [S[f[F.name]]];
    return [SEVERITIES[c.s]];
  }
  function refilter() {
    var want = filters(), list = [];
    for (var i = 0; i < findings.length; ++i) if (matches(i, want)) list.push(i);
    if (want.group !== 'severity') {
      var keyed = [];
      list.forEach(function (i) { groupsOf(i, want.group).forEach(function (g) { keyed.push([g, i]); }); });
      keyed.sort(function (a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]; });
      state.matching = keyed;
    } else {
      state.matching = list.map(function (i) { return [SEVERITIES[checkOf(findings[i]).s], i]; });
    }
    state.distinct = list.length;
    render();
  }
  function render() {
    var box = byId('findings-list');
    if (!box) return;
    box.textContent = '';
    var last = null, shown = Math.min(state.shown, state.matching.length);
    var fragment = document.createDocumentFragment();
    for (var k = 0; k < shown; ++k) {
      var key = state.matching[k][0];
      if (key !== last) { fragment.appendChild(el('div', 'group-head', key)); last = key; }
      fragment.appendChild(findingElement(state.matching[k][1]));
    }
    box.appendChild(fragment);
    byId('findings-count').textContent = 'Showing ' + shown.toLocaleString('en') + ' of ' +
      state.matching.length.toLocaleString('en') + ' matching (' + state.distinct.toLocaleString('en') +
      ' findings; ' + findings.length.toLocaleString('en') + ' in all).';
    byId('findings-more').hidden = shown >= state.matching.length;
  }
  function findingElement(i) {
    var f = findings[i], c = checkOf(f);
    var details = el('details', 'finding sev-' + SEVERITIES[c.s] + (f[F.suppressed] !== null ? ' suppressed' : ''));
    details.setAttribute('data-finding', String(i));
    details.id = 'finding-' + f[F.fingerprint];
    var summary = el('summary');
    summary.appendChild(el('span', 'sev', SEVERITIES[c.s]));
    summary.appendChild(el('code', null, f[F.check]));
    summary.appendChild(document.createTextNode(' '));
    summary.appendChild(el('b', null, S[f[F.name]]));
    summary.appendChild(document.createTextNode(' \u2014 ' + S[f[F.message]]));
    details.appendChild(summary);
    details.addEventListener('toggle', function () { if (details.open && !details.querySelector('.body')) details.appendChild(findingBody(i)); });
    return details;
  }
  function row(table, cells, head) {
    var tr = el('tr');
    cells.forEach(function (text) { tr.appendChild(el(head ? 'th' : 'td', null, text)); });
    table.appendChild(tr);
    return tr;
  }
  function traceTable(trace) {
    var wrap = el('div', 'trace');
    wrap.appendChild(el('div', 'mono', trace.flow));
    var table = el('table', 'hops');
    row(table, ['#', 'step', 'verdict', 'decided by', 'written at'], true);
    trace.hops.forEach(function (h, k) {
      var tr = row(table, [k + 1, S[h[0]], S[h[1]], S[h[2]], place(h[3], h[4], h[5])]);
      tr.children[2].className = 'verdict-' + S[h[1]];
    });
    wrap.appendChild(table);
    var verdict = el('p', null, 'Verdict: ');
    verdict.appendChild(el('b', 'verdict-' + trace.verdict, trace.verdict));
    verdict.appendChild(document.createTextNode(' \u2014 ' + trace.summary));
    wrap.appendChild(verdict);
    return wrap;
  }
  function findingBody(i) {
    var f = findings[i], c = checkOf(f);
    var body = el('div', 'body');
    var where = place(f[F.file], f[F.line], f[F.column]);
    body.appendChild(el('p', 'mono', S[f[F.id]] + (where ? '  at ' + where : '')));
    if (f[F.flow] >= 0) body.appendChild(el('p', 'mono', 'Flow: ' + S[f[F.flow]]));
    if (f[F.suppressed] !== null) body.appendChild(el('p', 'note', 'Suppressed: ' + f[F.suppressed]));
    if (f[F.evidence].length) {
      body.appendChild(el('h3', null, 'Evidence'));
      var list = el('ul', 'evidence');
      f[F.evidence].forEach(function (e) {
        var at = place(e[1], e[2], e[3]);
        list.appendChild(el('li', null, S[e[0]] + (at ? '  (' + at + ')' : '')));
      });
      body.appendChild(list);
    }
    if (f[F.trace] >= 0) {
      body.appendChild(el('h3', null, 'The flow, hop by hop'));
      body.appendChild(traceTable(data.traces[f[F.trace]]));
    }
    body.appendChild(el('h3', null, 'Fix'));
    body.appendChild(el('p', null, c.fix));
    body.appendChild(el('h3', null, 'Why it matters'));
    body.appendChild(el('p', null, c.why));
    body.appendChild(el('p', 'note', c.t + ' \u00b7 ' + c.step + ' \u00b7 ' +
      c.p.map(function (p) { return PRINCIPLES[p]; }).join(', ')));
    return body;
  }
  function setupFindings() {
    if (!byId('findings-list')) return;
    var checks = byId('f-check');
    Object.keys(data.checks).sort().forEach(function (id) {
      var option = el('option', null, id + ' \u2014 ' + data.checks[id].t);
      option.value = id;
      checks.appendChild(option);
    });
    var principles = byId('f-principle');
    PRINCIPLES.forEach(function (p, k) { var option = el('option', null, p); option.value = String(k); principles.appendChild(option); });
    var timer = null;
    ['f-sev-low', 'f-sev-medium', 'f-sev-high', 'f-sev-critical', 'f-principle', 'f-check', 'f-suppressed', 'f-group']
      .forEach(function (id) { byId(id).addEventListener('change', function () { state.shown = 200; refilter(); }); });
    byId('f-text').addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () { state.shown = 200; refilter(); }, 150);
    });
    byId('findings-more').addEventListener('click', function () { state.shown += 500; render(); });
    refilter();
  }
  function showFinding(fingerprint) {
    for (var k = 0; k < state.matching.length; ++k) {
      var i = state.matching[k][1];
      if (findings[i][F.fingerprint] !== fingerprint) continue;
      if (k >= state.shown) { state.shown = k + 1; render(); }
      var node = byId('finding-' + fingerprint);
      if (node) { node.open = true; if (!node.querySelector('.body')) node.appendChild(findingBody(i)); node.scrollIntoView(); }
      return;
    }
  }
  function search(text) {
    var box = byId('f-text');
    if (!box) return;
    box.value = text;
    state.shown = 200;
    refilter();
  }
  function applyHash() {
    var hash = location.hash.replace(/^#/, '');
    try { hash = decodeURIComponent(hash); } catch (e) { /* a malformed escape: take it as written */ }
    if (hash.indexOf('finding=') === 0) showFinding(hash.slice(8));
    else if (hash.indexOf('q=') === 0) search(hash.slice(2));
    else if (hash === 'matrix' && byId('matrix-section')) {
      byId('matrix-section').open = true;
      if (!byId('matrix-table')) buildMatrix();
      byId('matrix-section').scrollIntoView();
    }
  }

  // ---- the drawing: a subnet or VNet lists its findings ----
  function setupTopology() {
    Array.prototype.forEach.call(document.querySelectorAll('svg.topology [data-find]'), function (node) {
      function pick(e) {
        e.stopPropagation();
        search(node.getAttribute('data-find'));
        var section = byId('findings');
        if (section) section.scrollIntoView();
      }
      node.addEventListener('click', pick);
      node.addEventListener('keydown', function (e) { if (e.key === 'Enter') pick(e); });
    });
  }

  // ---- reachability heat map, built when first opened ----
  function setupMatrix() {
    var section = byId('matrix-section');
    if (!section || !data.matrix) return;
    section.addEventListener('toggle', function () { if (section.open && !byId('matrix-table')) buildMatrix(); });
    if (section.open) buildMatrix();
  }
  function buildMatrix() {
    var m = data.matrix, groups = m.groups, cells = m.cells, lookup = {};
    cells.forEach(function (c, k) { lookup[c[0] + ',' + c[1]] = k; });
    var table = el('table', 'matrix');
    table.id = 'matrix-table';
    var head = el('thead'), tr = el('tr');
    tr.appendChild(el('th', null, 'from \\ to'));
    m.columns.forEach(function (g) { tr.appendChild(el('th', null, groups[g][0])).title = groups[g][0]; });
    head.appendChild(tr);
    table.appendChild(head);
    var body = el('tbody');
    m.rows.forEach(function (r) {
      var line = el('tr');
      line.appendChild(el('th', null, groups[r][0])).title = groups[r][0];
      m.columns.forEach(function (col) {
        var k = lookup[r + ',' + col];
        var td = el('td', k === undefined ? 'h0' : 'h' + cells[k][2]);
        if (k !== undefined) {
          td.title = groups[r][0] + ' \u2192 ' + groups[col][0] + ': ' + cells[k][3] + (cells[k][4] !== 'none' ? ' (undecidable: ' + cells[k][4] + ')' : '');
          td.setAttribute('data-cell', String(k));
        }
        line.appendChild(td);
      });
      body.appendChild(line);
    });
    table.appendChild(body);
    table.addEventListener('click', function (e) {
      var td = e.target.closest('td[data-cell]');
      if (!td) return;
      var previous = table.querySelector('.hs');
      if (previous) previous.classList.remove('hs');
      td.classList.add('hs');
      byId('matrix-detail').textContent = td.title;
    });
    byId('matrix-wrap').appendChild(table);
  }

  setupFindings();
  setupTopology();
  setupMatrix();
  applyHash();
  window.addEventListener('hashchange', applyHash);
  root.setAttribute('data-ready', '1');
})();
)JS";
}

} // namespace ztnet::report::html
