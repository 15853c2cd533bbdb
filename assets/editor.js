// CV and letter editor behaviour that must not wait for the server: toolbar commands, drafts kept in
// the browser across reloads, the unsaved-changes warning, size limits, word/page estimate.
(() => {
  const MAX_CHARS = 400000;   // matches the server's limit; websocket messages cap near 1 MB
  const MAX_PASTE = 200000;
  const WORDS_PER_PAGE = 450;
  let dirty = false;
  const ed = () => document.getElementById('cv-editor');
  const key = (subject) => 'jobapp.draft.' + subject;
  const say = (text) => { const m = document.getElementById('cv-editor-msg'); if (m) { m.textContent = text; m.classList.toggle('shown', !!text); } };

  function stats() {
    const e = ed(); const s = document.getElementById('cv-stats');
    if (!e || !s) return;
    const words = (e.innerText.match(/\S+/g) || []).length;
    const text = `${words} words · ~${Math.max(1, Math.ceil(words / WORDS_PER_PAGE))} page(s)`;
    if (s.textContent !== text) s.textContent = text;  // no needless mutation (an observer watches the page)
  }

  function checkDraft() {
    const e = ed(); const banner = document.getElementById('cv-draft-banner');
    if (!e || !banner) return;
    const raw = localStorage.getItem(key(e.dataset.subject));
    let draft = null;
    try { draft = raw ? JSON.parse(raw) : null; } catch (err) { draft = null; }
    const show = !!(draft && draft.html && draft.html !== e.innerHTML);
    banner.classList.toggle('hidden', !show);
    if (show) banner.dataset.version = draft.base;
    stats();
  }

  window.jobappEditor = {
    content() {
      const e = ed();
      if (!e) return '';
      if (e.innerHTML.length > MAX_CHARS) {
        say(`This CV is too large to save (${Math.round(e.innerHTML.length / 1000)} kB of HTML; the limit is ${MAX_CHARS / 1000} kB). Remove pasted images or formatting.`);
        return '__too_large__';
      }
      say('');
      return e.innerHTML;
    },
    saved(subject) { localStorage.removeItem(key(subject)); dirty = false; say(''); setTimeout(checkDraft, 50); },
    isDirty() { return dirty; },
  };

  document.addEventListener('mousedown', (ev) => {
    const b = ev.target.closest && ev.target.closest('[data-cmd]');
    if (!b) return;
    ev.preventDefault();  // keep the selection in the editor
    ed()?.focus();
    document.execCommand(b.dataset.cmd, false, b.dataset.arg || null);
    ed()?.dispatchEvent(new Event('input', {bubbles: true}));
  });

  document.addEventListener('input', (ev) => {
    const e = ed();
    if (!e || ev.target !== e) return;
    dirty = true;
    localStorage.setItem(key(e.dataset.subject), JSON.stringify({base: e.dataset.version, html: e.innerHTML, at: Date.now()}));
    stats();
  });

  document.addEventListener('paste', (ev) => {
    const e = ed();
    if (!e || !e.contains(ev.target)) return;
    const data = ev.clipboardData;
    const html = data.getData('text/html'); const text = data.getData('text/plain');
    const image = Array.from(data.items || []).some((it) => it.kind === 'file' && it.type.startsWith('image/'));
    if ((image || /<img[\s>]/i.test(html)) && !text.trim()) {
      ev.preventDefault();
      say('Images cannot go into a CV or letter: applicant tracking systems cannot read text in images. Paste the text instead.');
      return;
    }
    if ((html || text).length > MAX_PASTE) {
      ev.preventDefault();
      say(`That paste is too large (${Math.round((html || text).length / 1000)} kB). Paste a smaller part, or paste as plain text.`);
    }
  }, true);

  document.addEventListener('click', (ev) => {
    const e = ed(); if (!e) return;
    if (ev.target.id === 'cv-draft-restore') {
      const draft = JSON.parse(localStorage.getItem(key(e.dataset.subject)) || 'null');
      if (draft) { e.innerHTML = draft.html; dirty = true; stats(); }
      document.getElementById('cv-draft-banner').classList.add('hidden');
      if (draft && String(draft.base) !== String(e.dataset.version)) say(`These edits started from version ${draft.base}; saving will show any conflict with version ${e.dataset.version}.`);
    }
    if (ev.target.id === 'cv-draft-discard') {
      localStorage.removeItem(key(e.dataset.subject));
      document.getElementById('cv-draft-banner').classList.add('hidden');
    }
  });

  document.addEventListener('keydown', (ev) => {
    if ((ev.ctrlKey || ev.metaKey) && ev.key === 's' && ed() && ed().contains(ev.target)) {
      ev.preventDefault();
      document.getElementById('cv-save')?.click();
    }
  });

  window.addEventListener('beforeunload', (ev) => {
    if (dirty) { ev.preventDefault(); ev.returnValue = ''; }
  });

  // The editor is (re)rendered by React when a CV opens or a version is saved, and React
  // resets the draft banner's class on any re-render: re-check (at most once a frame).
  let pending = false;
  new MutationObserver(() => {
    const e = ed();
    const sig = e ? e.dataset.subject + '@' + e.dataset.version : '';
    if (sig !== window.__jobappEditorSig) { window.__jobappEditorSig = sig; dirty = false; }
    if (e && !pending) { pending = true; requestAnimationFrame(() => { pending = false; checkDraft(); }); }
  }).observe(document.documentElement, {subtree: true, childList: true, attributes: true, attributeFilter: ['data-version', 'class']});
})();
