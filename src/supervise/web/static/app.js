// nianbao web: clicking a flag picks out the cells and paragraphs it rests on; the page opened
// with ?flag=N (after a decision) picks that flag's cells again.
(function () {
  function pick(ids) {
    document.querySelectorAll('.picked').forEach(function (e) { e.classList.remove('picked'); });
    var first = null;
    (ids || '').split(' ').forEach(function (id) {
      var e = id && document.getElementById(id);
      if (e) { e.classList.add('picked'); first = first || e; }
    });
    if (first) { first.scrollIntoView({block: 'center'}); }
    document.body.dataset.picked = String(document.querySelectorAll('.picked').length);
  }
  document.querySelectorAll('button.locate').forEach(function (b) {
    b.addEventListener('click', function () {
      document.querySelectorAll('li.picked-flag').forEach(function (e) { e.classList.remove('picked-flag'); });
      var li = b.closest('li.flag');
      if (li) { li.classList.add('picked-flag'); }
      pick(b.dataset.cells);
    });
  });
  var start = document.querySelector('li.picked-flag');
  if (start) { pick(start.dataset.cells); start.scrollIntoView({block: 'nearest'}); }
  document.querySelectorAll('form.filters select, form.filters input[type=checkbox]').forEach(function (e) {
    e.addEventListener('change', function () { e.form.submit(); });
  });
  document.body.dataset.ready = '1';
})();
