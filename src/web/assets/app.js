// dengar review page: keyboard shortcuts and bulk selection. Served as a static file so the
// Content-Security-Policy can forbid inline script. The page works without it (plain forms).
(function () {
  'use strict';

  var page = document.body.getAttribute('data-page');
  var help = document.getElementById('help');

  function typing(el) {
    if (!el) return false;
    var tag = el.tagName;
    return el.isContentEditable || tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
  }

  function toggleHelp(show) {
    if (!help) return;
    help.hidden = (typeof show === 'boolean') ? !show : !help.hidden;
  }

  function submit(form, button) {
    if (!form) return;
    if (form.requestSubmit) {
      form.requestSubmit(button || undefined);
    } else {
      form.submit();
    }
  }

  function go(link) {
    if (link && link.href) window.location.href = link.href;
  }

  // ---- queue -------------------------------------------------------------------------------
  var rows = [];
  var current = -1;
  var bulk = document.getElementById('bulk');
  var selectAll = document.getElementById('select-all');
  var countLabel = document.getElementById('selected-count');

  function boxes() {
    return rows.map(function (r) { return r.querySelector('input[type=checkbox]'); })
      .filter(function (b) { return b; });
  }

  function updateCount() {
    if (!countLabel) return;
    var n = boxes().filter(function (b) { return b.checked; }).length;
    countLabel.textContent = n ? n + ' baris dipilih' : '';
  }

  function show(i) {
    if (!rows.length) return;
    current = Math.max(0, Math.min(rows.length - 1, i));
    rows.forEach(function (r, j) { r.classList.toggle('current', j === current); });
    rows[current].scrollIntoView({ block: 'nearest' });
  }

  // Acts on the checked rows, or on the current row when none is checked.
  function bulkAction(buttonId) {
    if (!bulk) return;
    var checked = boxes().filter(function (b) { return b.checked; });
    if (!checked.length) {
      if (current < 0) return;
      var box = rows[current].querySelector('input[type=checkbox]');
      if (!box) return;
      box.checked = true;
    }
    submit(bulk, document.getElementById(buttonId));
  }

  if (page === 'queue') {
    rows = Array.prototype.slice.call(document.querySelectorAll('table.queue tbody tr[data-id]'));
    if (rows.length) show(0);
    rows.forEach(function (r, i) {
      r.addEventListener('click', function (e) {
        if (e.target.tagName !== 'A' && e.target.tagName !== 'INPUT') show(i);
      });
    });
    if (selectAll) {
      selectAll.addEventListener('change', function () {
        boxes().forEach(function (b) { b.checked = selectAll.checked; });
        updateCount();
      });
    }
    boxes().forEach(function (b) { b.addEventListener('change', updateCount); });
  }

  // ---- item --------------------------------------------------------------------------------
  var agency = document.getElementById('agency');
  var category = document.getElementById('category');
  if (agency && category) {
    // An untouched category follows the chosen agency's LAPOR category.
    var touched = false;
    category.addEventListener('input', function () { touched = true; });
    agency.addEventListener('change', function () {
      var opt = agency.options[agency.selectedIndex];
      if (!touched && opt) category.value = opt.getAttribute('data-category') || category.value;
    });
  }

  // ---- keys --------------------------------------------------------------------------------
  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 'Escape') {
      toggleHelp(false);
      if (typing(document.activeElement)) document.activeElement.blur();
      return;
    }
    if (typing(e.target)) return;
    var k = e.key;
    if (k === '?') { toggleHelp(); e.preventDefault(); return; }
    if (k === 'g') { window.location.href = '/'; return; }

    if (page === 'queue') {
      if (k === 'j') { show(current + 1); e.preventDefault(); }
      else if (k === 'k') { show(current - 1); e.preventDefault(); }
      else if ((k === 'o' || k === 'Enter') && current >= 0) {
        window.location.href = rows[current].getAttribute('data-href');
        e.preventDefault();
      } else if (k === 'x' && current >= 0) {
        var box = rows[current].querySelector('input[type=checkbox]');
        if (box) { box.checked = !box.checked; updateCount(); }
        e.preventDefault();
      } else if (k === 'a') { bulkAction('bulk-accept'); e.preventDefault(); }
      else if (k === 'r') { bulkAction('bulk-reject'); e.preventDefault(); }
    } else if (page === 'item') {
      if (k === 'j') { go(document.getElementById('next')); }
      else if (k === 'k') { go(document.getElementById('prev')); }
      else if (k === 'a') { submit(document.getElementById('accept-form')); e.preventDefault(); }
      else if (k === 'r') { submit(document.getElementById('reject-form')); e.preventDefault(); }
      else if (k === 'e') {
        var t = document.getElementById('judul');
        if (t) { t.focus(); t.select(); e.preventDefault(); }
      } else if (k === 'u') {
        var undo = document.getElementById('undo-last') || document.getElementById('undo-button');
        if (undo) { undo.click(); e.preventDefault(); }
      }
    }
  });
})();
