// The report's filters and its review mode. Works offline from the file: a reader's corrections are
// kept in the browser's local storage under the run's key, and downloaded as annotation JSONL
// (docs/formats.md, "Reviewed in the report"). Only passages a person touched are in the download.
(function () {
  'use strict';
  const $ = id => document.getElementById(id);
  let RUN, LABELS, KEY, store, editor = null, editing = null;
  const byId = new Map();

  function empty() { return {reviewer: '', items: {}}; }
  function load() {
    try {
      const s = JSON.parse(localStorage.getItem(KEY));
      return s && typeof s.items === 'object' ? s : empty();
    } catch (e) { return empty(); }
  }
  function save() {
    try { localStorage.setItem(KEY, JSON.stringify(store)); } catch (e) { /* private mode: kept in memory */ }
  }

  function model(el) {
    const poles = el.dataset.poles ? el.dataset.poles.split(' ') : [];
    const ps = el.dataset.ps ? el.dataset.ps.split(' ').map(Number) : [];
    return {phase: el.dataset.phase, poles: poles, scores: Object.fromEntries(poles.map((p, i) => [p, ps[i]]))};
  }
  function current(el) {
    const it = store.items[el.dataset.id];
    return it ? {phase: it.phase, poles: it.poles} : model(el);
  }
  const ordered = poles => Object.keys(LABELS.pole).filter(p => poles.includes(p));
  const same = (a, b) => a.phase === b.phase && ordered(a.poles).join(' ') === ordered(b.poles).join(' ');

  function badge(cls, text, colour, ink) {
    const b = document.createElement('i');
    b.className = 'bd ' + cls;
    b.textContent = text;
    if (colour) { b.style.background = colour; b.style.color = ink; }
    return b;
  }

  // the label row of a passage: phase and poles (the model's scores beside its own labels), the
  // uncertain mark, and what a reviewer did
  function paint(el) {
    const m = model(el), cur = current(el), it = store.items[el.dataset.id];
    const row = el.querySelector('.lab');
    row.textContent = '';
    const ph = LABELS.phase[cur.phase];
    row.appendChild(badge('phase', cur.phase + (cur.phase === m.phase ? ' ' + Number(el.dataset.conf).toFixed(2) : ''),
                          ph.colour, ph.ink));
    for (const p of ordered(cur.poles)) {
      const pl = LABELS.pole[p];
      row.appendChild(badge('pole', p + (p in m.scores ? ' ' + m.scores[p].toFixed(2) : ''), pl.colour, pl.ink));
    }
    if (el.dataset.unc === '1') row.appendChild(badge('unc-mark', '? uncertain'));
    el.classList.toggle('reviewed', !!it);
    if (it) {
      row.appendChild(badge('rv', (same(it, m) ? '\u2713 reviewed' : '\u270e corrected') +
                                  (it.reviewer ? ' by ' + it.reviewer : '')));
      if (!same(it, m)) row.appendChild(badge('was', 'model: ' + [m.phase, ...m.poles].join(', ')));
    }
    el.style.background = ph.colour + '33';
    el.style.borderLeftColor = ph.colour;
  }

  function count() {
    const n = Object.keys(store.items).length;
    $('rv-count').textContent = n;
    $('rv-download').textContent = 'Download reviewed passages (' + n + ')';
    document.body.dataset.reviewed = n;
  }

  function applyFilters() {
    const phase = $('f-phase').value, pole = $('f-pole').value, unc = $('f-unc').value, rev = $('f-rev').value;
    const minc = parseFloat($('f-conf').value);
    $('f-conf-v').textContent = minc.toFixed(2);
    let shown = 0;
    for (const el of byId.values()) {
      const cur = current(el), done = el.dataset.id in store.items;
      const ok = (!phase || cur.phase === phase) && (!pole || cur.poles.includes(pole))
        && parseFloat(el.dataset.conf) >= minc
        && (!unc || (unc === 'uncertain') === (el.dataset.unc === '1'))
        && (!rev || (rev === 'reviewed') === done);
      el.classList.toggle('hidden', !ok);
      if (ok) shown++;
    }
    $('f-count').textContent = shown;
    document.body.dataset.shown = shown;
  }

  function touch(el, change) {
    const id = el.dataset.id, m = model(el);
    const it = store.items[id] || {phase: m.phase, poles: m.poles.slice()};
    change(it);
    it.poles = ordered(it.poles);
    it.reviewer = store.reviewer.trim();
    it.reviewed_at = new Date().toISOString();
    store.items[id] = it;
    save(); paint(el); count(); syncEditor();
  }

  function button(text, data, colour) {
    const b = document.createElement('button');
    b.type = 'button';
    Object.assign(b.dataset, data);
    if (colour) { const s = document.createElement('i'); s.className = 'sw'; s.style.background = colour; b.appendChild(s); }
    b.appendChild(document.createTextNode(text));
    return b;
  }

  function buildEditor() {
    editor = document.createElement('div');
    editor.id = 'editor';
    editor.setAttribute('role', 'group');
    editor.setAttribute('aria-label', 'review this passage');
    const rows = [document.createElement('div'), document.createElement('div'), document.createElement('div')];
    rows.forEach(r => { r.className = 'row'; editor.appendChild(r); });
    rows[0].innerHTML = '<b>phase</b>';
    for (const p of LABELS.phases) rows[0].appendChild(button(p.id + ' / ' + p.dutch, {setPhase: p.id}, p.colour));
    rows[1].innerHTML = '<b>poles</b>';
    for (const pair of LABELS.paradoxes) {
      const g = document.createElement('span');
      g.className = 'pair';
      for (const p of pair) g.appendChild(button(p, {togglePole: p}, LABELS.pole[p].colour));
      rows[1].appendChild(g);
    }
    rows[2].appendChild(button('\u2713 Mark reviewed (labels are right)', {act: 'ok'}));
    rows[2].appendChild(button('Undo my review', {act: 'undo'}));
    rows[2].appendChild(button('Close', {act: 'close'}));
    editor.addEventListener('click', ev => {
      const b = ev.target.closest('button');
      if (!b || !editing) return;
      ev.stopPropagation();
      const d = b.dataset;
      if (d.setPhase) touch(editing, it => { it.phase = d.setPhase; });
      else if (d.togglePole) touch(editing, it => {
        it.poles = it.poles.includes(d.togglePole) ? it.poles.filter(x => x !== d.togglePole) : [...it.poles, d.togglePole];
      });
      else if (d.act === 'ok') touch(editing, () => {});
      else if (d.act === 'undo') {
        delete store.items[editing.dataset.id];
        save(); paint(editing); count(); syncEditor();
      } else if (d.act === 'close') closeEditor();
    });
  }

  function syncEditor() {
    if (!editing) return;
    const cur = current(editing);
    for (const b of editor.querySelectorAll('button')) {
      if (b.dataset.setPhase) b.setAttribute('aria-pressed', b.dataset.setPhase === cur.phase);
      if (b.dataset.togglePole) b.setAttribute('aria-pressed', cur.poles.includes(b.dataset.togglePole));
    }
  }
  function openEditor(el) {
    if (!editor) buildEditor();
    editing = el;
    el.after(editor);
    editor.dataset.for = el.dataset.id;
    syncEditor();
  }
  function closeEditor() { if (editor) editor.remove(); editing = null; }

  // one annotated passage per touched passage, in document order (the corpus format of docs/formats.md)
  function rows() {
    const out = [];
    for (const el of byId.values()) {
      const it = store.items[el.dataset.id];
      if (!it) continue;
      const m = model(el), details = el.closest('details');
      const meta = {path: details ? details.dataset.path : '', start: parseInt(el.dataset.start, 10),
                    end: parseInt(el.dataset.end, 10)};
      if (el.dataset.lang && !LABELS.langs.includes(el.dataset.lang)) meta.detected_lang = el.dataset.lang;
      Object.assign(meta, {model: RUN.model, reviewed: true, reviewer: it.reviewer || store.reviewer.trim(),
                           reviewed_at: it.reviewed_at,
                           model_labels: {phase: m.phase, poles: m.poles, response: el.dataset.resp || null}});
      const row = {id: el.dataset.id, doc_id: el.dataset.doc, text: el.querySelector('.tx').textContent};
      if (LABELS.langs.includes(el.dataset.lang)) row.lang = el.dataset.lang;
      Object.assign(row, {phase: it.phase, poles: it.poles, response: el.dataset.resp || null, meta: meta});
      out.push(row);
    }
    return out;
  }

  function download() {
    const msg = $('rv-msg');
    const out = rows();
    if (!store.reviewer.trim() && out.some(r => !r.meta.reviewer)) {
      msg.textContent = 'Type your name first: every reviewed passage carries its reviewer.';
      $('rv-name').focus();
      return;
    }
    if (!out.length) { msg.textContent = 'Nothing reviewed yet: open a passage and mark or change it.'; return; }
    msg.textContent = '';
    const blob = new Blob([out.map(r => JSON.stringify(r)).join('\n') + '\n'], {type: 'application/jsonl'});
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = 'review-' + RUN.key + '.jsonl';
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  }

  document.addEventListener('DOMContentLoaded', () => {
    RUN = JSON.parse($('run').textContent);
    LABELS = JSON.parse($('labels').textContent);
    KEY = 'paradox-review:' + RUN.key;
    store = load();
    for (const el of document.querySelectorAll('.p')) byId.set(el.dataset.id, el);
    for (const id of Object.keys(store.items)) {
      if (byId.has(id)) paint(byId.get(id)); else delete store.items[id];
    }
    const name = $('rv-name');
    name.value = store.reviewer;
    name.addEventListener('input', () => { store.reviewer = name.value; $('rv-msg').textContent = ''; save(); });
    $('rv-download').addEventListener('click', download);
    ['f-phase', 'f-pole', 'f-conf', 'f-unc', 'f-rev'].forEach(id => $(id).addEventListener('input', applyFilters));
    document.addEventListener('click', ev => {
      const el = ev.target.closest('.p');
      if (!el || ev.target.closest('#editor') || String(window.getSelection())) return;
      if (editing === el) closeEditor(); else openEditor(el);
    });
    document.addEventListener('keydown', ev => {
      if (ev.key === 'Enter' && ev.target.classList && ev.target.classList.contains('p')) openEditor(ev.target);
      if (ev.key === 'Escape') closeEditor();
    });
    window.addEventListener('beforeprint', () => {
      closeEditor();
      document.querySelectorAll('details').forEach(d => { d.open = true; });
    });
    count();
    applyFilters();
    document.body.dataset.ready = '1';
  });
})();
