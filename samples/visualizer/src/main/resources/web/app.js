// The visualizer page: draws the nodes and their links from the server's update stream (a snapshot, then numbered
// updates), animates the hops of a message the page spread, and sends the buttons' actions.
(function () {
  'use strict';
  const nodes = {};            // name -> the node's last state
  let chain = {};
  let lastSeq = 0;
  const hopQueue = [];         // hops waiting to be drawn, one every HOP_MS
  const HOP_MS = 300;
  const MAX_HOPS = 400;        // a page that cannot keep up drops old hops rather than grow

  const cy = cytoscape({
    container: document.getElementById('graph'),
    style: [
      { selector: 'node', style: { 'label': 'data(label)', 'text-wrap': 'wrap', 'font-size': 10, 'text-valign': 'bottom',
          'width': 26, 'height': 26, 'background-color': '#2a9d8f', 'border-width': 0 } },
      { selector: 'node.validator', style: { 'background-color': '#1d3557', 'shape': 'round-rectangle' } },
      { selector: 'node.catching', style: { 'background-color': '#f4a261' } },
      { selector: 'node.killed', style: { 'background-color': '#bbb' } },
      { selector: 'node.heard', style: { 'border-width': 4, 'border-color': '#e9c46a' } },
      { selector: 'edge', style: { 'width': 1.5, 'line-color': '#ccc', 'curve-style': 'straight' } },
      { selector: 'edge.hop', style: { 'width': 5, 'target-arrow-shape': 'triangle', 'z-index': 10 } },
      { selector: 'edge.stem', style: { 'line-color': '#e76f51', 'target-arrow-color': '#e76f51' } },
      { selector: 'edge.payload', style: { 'line-color': '#457b9d', 'target-arrow-color': '#457b9d' } },
      { selector: 'edge.announce', style: { 'line-color': '#999', 'target-arrow-color': '#999', 'line-style': 'dashed' } },
      { selector: 'edge.request', style: { 'line-color': '#9b5de5', 'target-arrow-color': '#9b5de5', 'line-style': 'dotted' } }
    ],
    layout: { name: 'circle' }
  });
  let layoutPending = false;

  function relayout() {
    if (layoutPending) { return; }
    layoutPending = true;
    setTimeout(() => { layoutPending = false; cy.layout({ name: 'circle', animate: false }).run(); }, 200);
  }

  function edgeId(a, b) { return a < b ? 'e:' + a + '|' + b : 'e:' + b + '|' + a; }

  function drawNode(name) {
    const n = nodes[name];
    let el = cy.getElementById(name);
    if (!n) {
      if (el.nonempty()) { cy.remove(el); relayout(); }
      return;
    }
    const label = name + '\nh ' + n.height + (n.catchingUp ? ' → ' + n.target : '');
    if (el.empty()) {
      el = cy.add({ group: 'nodes', data: { id: name, label: label } });
      relayout();
    }
    el.data('label', label);
    el.toggleClass('validator', n.role === 'validator');
    el.toggleClass('catching', !!n.catchingUp);
    el.toggleClass('killed', n.life !== 'running');
    // links: drawn from both ends' peer lists; an edge stays while either end lists the other
    const want = new Set((n.life === 'running' ? n.peers : []).filter(p => nodes[p]).map(p => edgeId(name, p)));
    el.connectedEdges(':not(.hop)').forEach(e => {
      const other = e.source().id() === name ? e.target().id() : e.source().id();
      const o = nodes[other];
      const otherLists = o && o.life === 'running' && (o.peers || []).includes(name);
      if (!want.has(e.id()) && !otherLists) { cy.remove(e); }
    });
    want.forEach(id => {
      if (cy.getElementById(id).empty()) {
        const [a, b] = id.substring(2).split('|');
        if (cy.getElementById(a).nonempty() && cy.getElementById(b).nonempty()) {
          cy.add({ group: 'edges', data: { id: id, source: a, target: b } });
        }
      }
    });
  }

  function drawTable() {
    const body = document.querySelector('#nodes tbody');
    const names = Object.keys(nodes).sort((a, b) => (nodes[a].role === nodes[b].role ? a.localeCompare(b, undefined, { numeric: true })
        : nodes[a].role === 'validator' ? -1 : 1));
    body.innerHTML = '';
    for (const name of names) {
      const n = nodes[name];
      const tr = document.createElement('tr');
      tr.dataset.name = name;
      tr.dataset.life = n.life;
      tr.dataset.height = n.height;
      tr.dataset.hasLastTx = n.hasLastTx ? 'yes' : 'no';
      tr.dataset.catchingUp = n.catchingUp ? 'yes' : 'no';
      tr.dataset.caughtUpFrom = n.caughtUpFrom === undefined ? -1 : n.caughtUpFrom;
      tr.className = (n.life !== 'running' ? 'killed' : '') + (n.catchingUp ? ' catching' : '');
      const pct = n.target > 0 ? Math.floor(100 * n.height / n.target) : 100;
      const sync = n.life !== 'running' ? n.life : n.catchingUp ? 'catching up ' + pct + '% (' + n.height + '/' + n.target + ')'
          : (n.sync || '').toLowerCase().replace('_', ' ') + (n.caughtUpFrom >= 0 ? ' (caught up from ' + n.caughtUpFrom + ')' : '');
      tr.dataset.sync = sync;
      const cells = [name, n.role, n.height, sync, (n.peers || []).length, n.hasLastTx ? 'committed' : '-',
        n.role === 'validator' ? n.balance : '-'];
      cells.forEach((c, i) => {
        const td = document.createElement('td');
        td.textContent = c;
        td.className = ['name', 'role', 'height', 'sync', 'peers', 'tx', 'rewards'][i];
        tr.appendChild(td);
      });
      body.appendChild(tr);
    }
  }

  function drawChain() {
    const set = (id, v, cls) => { const e = document.getElementById(id); e.textContent = v; e.className = cls || ''; };
    set('chain-height', chain.height || 0);
    set('committed', chain.committed || 0);
    set('quorum', chain.quorum ? 'quorum' : 'no quorum', chain.quorum ? 'good' : 'bad');
    set('protocol', (chain.protocol || '?') + (chain.partitioned ? ', partitioned' : ''));
    set('running', chain.running || 0);
    set('last-tx', chain.lastTx ? chain.lastTx + ' at height ' + chain.lastTxHeight : 'none');
    document.getElementById('btn-load').textContent = chain.load > 0 ? 'Stop load' : 'Start load';
    const sel = document.getElementById('protocol-select');
    if (document.activeElement !== sel && chain.protocol) { sel.value = chain.protocol; }
  }

  function apply(key, value) {
    if (key.startsWith('node:')) {
      const name = key.substring(5);
      if (value === null) { delete nodes[name]; } else { nodes[name] = value; }
      drawNode(name);
      return 'table';
    }
    if (key === 'chain') { chain = value || {}; drawChain(); return null; }
    if (key.startsWith('hop:')) {
      hopQueue.push(value);
      if (hopQueue.length > MAX_HOPS) { hopQueue.splice(0, hopQueue.length - MAX_HOPS); }
      return null;
    }
    if (key === 'log' && value) { log(value.line); }
    return null;
  }

  function log(line) {
    const li = document.createElement('li');
    li.textContent = new Date().toLocaleTimeString() + ' ' + line;
    const ol = document.getElementById('log');
    ol.insertBefore(li, ol.firstChild);
    while (ol.children.length > 50) { ol.removeChild(ol.lastChild); }
  }

  // one hop every HOP_MS, in the order the nodes sent them: a stem is a single path, the fluff fans out
  setInterval(() => {
    const h = hopQueue.shift();
    if (!h) { return; }
    const info = document.getElementById('hops');
    if (h.kind === 'publish') {
      cy.nodes().removeClass('heard');
      cy.getElementById(h.from).addClass('heard');
      info.textContent = 'message ' + h.gossip + ' published at ' + h.from;
      info.dataset.kind = h.kind;
      info.dataset.color = '';
      return;
    }
    if (cy.getElementById(h.from).empty() || cy.getElementById(h.to).empty()) { return; }
    const e = cy.add({ group: 'edges', data: { source: h.from, target: h.to }, classes: 'hop ' + h.kind });
    if (h.kind === 'stem' || h.kind === 'payload') { cy.getElementById(h.to).addClass('heard'); }
    info.textContent = 'message ' + h.gossip + ': ' + h.kind + ' ' + h.from + ' → ' + h.to + ' (' + h.ms + ' ms after publishing)';
    // the last hop drawn and the colour it was drawn in, for whoever reads the page (the browser test)
    info.dataset.kind = h.kind;
    info.dataset.color = e.style('line-color');
    setTimeout(() => cy.remove(e), 1500);
  }, HOP_MS);

  const stream = new EventSource('/events');
  stream.addEventListener('snapshot', ev => {
    const s = JSON.parse(ev.data);
    lastSeq = s.seq;
    for (const name of Object.keys(nodes)) { delete nodes[name]; }
    cy.elements().remove();
    const state = s.state;
    for (const key of Object.keys(state)) { apply(key, state[key]); }
    for (const name of Object.keys(nodes)) { drawNode(name); }
    drawTable();
    document.getElementById('stream').textContent = 'live (snapshot at update ' + s.seq + ')';
  });
  stream.addEventListener('update', ev => {
    const u = JSON.parse(ev.data);
    if (u.seq <= lastSeq) { return; }
    lastSeq = u.seq;
    if (apply(u.key, u.value) === 'table') { drawTable(); }
  });
  stream.onerror = () => { document.getElementById('stream').textContent = 'reconnecting'; };

  function post(path) {
    return fetch(path, { method: 'POST' }).then(r => r.json()).then(j => log(j.message || j.error)).catch(e => log('failed: ' + e));
  }
  const buttons = { 'btn-add': 'add', 'btn-delete': 'delete', 'btn-kill': 'kill', 'btn-restart': 'restart',
    'btn-partition': 'partition', 'btn-heal': 'heal', 'btn-submit': 'submit', 'btn-gossip': 'gossip' };
  Object.entries(buttons).forEach(([id, action]) => document.getElementById(id).addEventListener('click', () => post('/api/' + action)));
  document.getElementById('btn-load').addEventListener('click', () => post(chain.load > 0 ? '/api/load-stop' : '/api/load-start'));
  document.getElementById('protocol-select').addEventListener('change', ev => post('/api/protocol/' + encodeURIComponent(ev.target.value)));
}());
