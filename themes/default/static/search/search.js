// Tiller's site search: runs entirely in the browser over the index that the
// build writes beside this page (index.js sets window.tillerSearchIndex).
// Body texts for snippets come in chunks (text-N.js), loaded only for the
// results shown. Everything loads by <script> elements, so the page works
// from a plain file:// folder as well as from any static host.
(function () {
  'use strict';

  var index = window.tillerSearchIndex;
  var box = document.getElementById('search');
  var form = document.getElementById('search-form');
  var input = document.getElementById('search-input');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  if (!box || !form || !input || !status || !list) return;

  box.hidden = false;
  if (!index || index.version !== 1) {
    status.textContent = 'The search index could not be loaded, so search is not available. Browse by theme or tag instead.';
    return;
  }

  var MAX_RESULTS = 50;
  var MAX_EXPANSIONS = 64;
  var WEIGHTS = { title: 10, entities: 6, themes: 5, tags: 5, headings: 4, summary: 3 };
  // Articles are what readers come for; pages and entries for people,
  // organisations and terms follow them unless they match much better.
  var GROUPS = { article: 1, page: 0.8, entity: 0.6 };
  var FIELDS = Object.keys(WEIGHTS);
  var stop = new Set(index.stop_words);
  var docs = index.docs;
  var wordList = Object.keys(index.words).sort();
  var decoded = new Map();
  var texts = window.tillerSearchTexts = window.tillerSearchTexts || {};
  var requested = new Set();
  var onFile = window.location.protocol === 'file:';
  var shown = [];
  var query = [];

  // Words as the index makes them: accents off, lowercase, letters and
  // digits, two characters or more.
  function fold(text) {
    return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  }
  function words(text) {
    return (fold(text).match(/[\p{L}\p{N}]+/gu) || []).filter(function (w) { return w.length > 1; });
  }

  var fieldWords = docs.map(function (doc) {
    var out = {};
    FIELDS.forEach(function (field) {
      var value = doc[field];
      out[field] = words(Array.isArray(value) ? value.join(' ') : value || '');
    });
    return out;
  });

  // Postings of a body word: document number to times used.
  function postings(word) {
    var found = decoded.get(word);
    if (found) return found;
    found = new Map();
    var packed = index.words[word] || [];
    var doc = 0;
    for (var i = 0; i + 1 < packed.length; i += 2) {
      doc += packed[i];
      found.set(doc, packed[i + 1]);
    }
    decoded.set(word, found);
    return found;
  }

  // Body words starting with `prefix`, found by binary search in the sorted list.
  function expansions(prefix) {
    var lo = 0, hi = wordList.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (wordList[mid] < prefix) lo = mid + 1; else hi = mid;
    }
    var out = [];
    for (var i = lo; i < wordList.length && out.length < MAX_EXPANSIONS; i++) {
      if (wordList[i].lastIndexOf(prefix, 0) !== 0) break;
      out.push(wordList[i]);
    }
    return out;
  }

  function search(text) {
    var all = words(text);
    var terms = all.filter(function (w) { return !stop.has(w); });
    if (terms.length === 0) terms = all;
    terms = terms.filter(function (t, i) { return terms.indexOf(t) === i; });
    if (terms.length === 0) return { terms: [], results: [] };
    var total = docs.length;
    var scores = null;
    terms.forEach(function (term) {
      var mine = new Map();
      // Fields: an exact word counts fully, a word it begins half.
      fieldWords.forEach(function (fields, doc) {
        var best = 0;
        FIELDS.forEach(function (field) {
          var weight = WEIGHTS[field];
          fields[field].forEach(function (w) {
            if (w === term) best = Math.max(best, weight);
            else if (w.lastIndexOf(term, 0) === 0) best = Math.max(best, weight / 2);
          });
        });
        if (best > 0) mine.set(doc, best);
      });
      // Body: the more often, and the rarer the word, the higher.
      expansions(term).forEach(function (word) {
        var found = postings(word);
        var idf = Math.log(1 + total / found.size);
        var share = word === term ? 1 : 0.5;
        found.forEach(function (times, doc) {
          var score = share * (1 + Math.log(times)) * idf;
          mine.set(doc, (mine.get(doc) || 0) + score);
        });
      });
      // Every word of the query must match somewhere.
      if (scores === null) {
        scores = mine;
      } else {
        var next = new Map();
        scores.forEach(function (score, doc) {
          if (mine.has(doc)) next.set(doc, score + mine.get(doc));
        });
        scores = next;
      }
    });
    scores.forEach(function (score, doc) {
      scores.set(doc, score * (GROUPS[docs[doc].group] || 1));
    });
    var results = Array.from(scores.entries()).sort(function (a, b) {
      return b[1] - a[1] || a[0] - b[0];
    }).map(function (entry) { return entry[0]; });
    return { terms: terms, results: results };
  }

  function matches(word) {
    return query.some(function (term) { return word.lastIndexOf(term, 0) === 0; });
  }

  // `text` as nodes, with every word that begins like a query term marked.
  function highlighted(text) {
    var fragment = document.createDocumentFragment();
    var pattern = /[\p{L}\p{N}]+/gu;
    var last = 0;
    var match;
    while ((match = pattern.exec(text)) !== null) {
      if (!matches(fold(match[0]))) continue;
      if (match.index > last) fragment.appendChild(document.createTextNode(text.slice(last, match.index)));
      var mark = document.createElement('mark');
      mark.textContent = match[0];
      fragment.appendChild(mark);
      last = match.index + match[0].length;
    }
    if (last < text.length) fragment.appendChild(document.createTextNode(text.slice(last)));
    return fragment;
  }

  // About 200 characters of the body around the first matching word.
  function snippet(text) {
    var pattern = /[\p{L}\p{N}]+/gu;
    var match;
    var at = -1;
    while ((match = pattern.exec(text)) !== null) {
      if (matches(fold(match[0]))) { at = match.index; break; }
    }
    if (at < 0) return null;
    var start = Math.max(0, at - 70);
    if (start > 0) {
      var space = text.indexOf(' ', start);
      start = space >= 0 && space < at ? space + 1 : start;
    }
    var end = Math.min(text.length, start + 220);
    if (end < text.length) {
      var back = text.lastIndexOf(' ', end);
      end = back > at ? back : end;
    }
    return (start > 0 ? '…' : '') + text.slice(start, end) + (end < text.length ? '…' : '');
  }

  function chunkOf(doc) { return Math.floor(doc / index.chunk_size); }

  function textOf(doc) {
    var chunk = texts[chunkOf(doc)];
    return chunk ? chunk[doc % index.chunk_size] : null;
  }

  // Loads the text chunk of `doc` once, then fills in the snippets waiting for it.
  function requestText(doc) {
    var chunk = chunkOf(doc);
    if (texts[chunk] || requested.has(chunk)) return;
    requested.add(chunk);
    var script = document.createElement('script');
    script.src = 'text-' + chunk + '.js';
    script.onload = fillSnippets;
    document.head.appendChild(script);
  }

  function fillSnippets() {
    shown.forEach(function (item) {
      var text = textOf(item.doc);
      if (text === null || item.filled) return;
      var cut = snippet(text);
      if (cut !== null) {
        item.node.textContent = '';
        item.node.appendChild(highlighted(cut));
      }
      item.filled = true;
    });
  }

  // The link to a document from this page (which is base/search/): relative,
  // so it works wherever the site is put; on file:// a folder needs its index.html.
  function href(url) {
    var base = index.base_path || '/';
    var path = url.lastIndexOf(base, 0) === 0 ? url.slice(base.length) : url.replace(/^\//, '');
    if (onFile && (path === '' || path.slice(-1) === '/')) path += 'index.html';
    return '../' + path;
  }

  function render(text) {
    var found = search(text);
    query = found.terms;
    list.textContent = '';
    shown = [];
    if (query.length === 0) {
      status.textContent = '';
      return;
    }
    var count = found.results.length;
    status.textContent = count === 0
      ? 'No results for “' + text.trim() + '”. Try fewer or shorter words.'
      : count + (count === 1 ? ' result' : ' results') + ' for “' + text.trim() + '”' +
        (count > MAX_RESULTS ? ', the best ' + MAX_RESULTS + ' shown.' : '.');
    found.results.slice(0, MAX_RESULTS).forEach(function (doc) {
      var entry = docs[doc];
      var item = document.createElement('li');
      var heading = document.createElement('h2');
      var link = document.createElement('a');
      link.href = href(entry.url);
      link.appendChild(highlighted(entry.title));
      heading.appendChild(link);
      item.appendChild(heading);
      var meta = document.createElement('p');
      meta.className = 'meta';
      meta.textContent = entry.kind + (entry.date ? ' · ' + entry.date : '');
      item.appendChild(meta);
      var body = document.createElement('p');
      body.className = 'snippet';
      body.appendChild(highlighted(entry.summary));
      item.appendChild(body);
      list.appendChild(item);
      shown.push({ doc: doc, node: body, filled: false });
      requestText(doc);
    });
    fillSnippets();
  }

  function remember(text) {
    try {
      var url = new URL(window.location.href);
      if (text.trim()) url.searchParams.set('q', text.trim()); else url.searchParams.delete('q');
      window.history.replaceState(null, '', url.href);
    } catch (e) {
      // Some browsers refuse to change file:// addresses; the results still show.
    }
  }

  var timer = 0;
  input.addEventListener('input', function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      render(input.value);
      remember(input.value);
    }, 120);
  });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    render(input.value);
    remember(input.value);
  });

  // Arrow keys move between the box and the result links.
  function resultLinks() { return Array.prototype.slice.call(list.querySelectorAll('a')); }
  input.addEventListener('keydown', function (event) {
    if (event.key === 'ArrowDown') {
      var links = resultLinks();
      if (links.length) { event.preventDefault(); links[0].focus(); }
    }
  });
  list.addEventListener('keydown', function (event) {
    var links = resultLinks();
    var at = links.indexOf(document.activeElement);
    if (at < 0) return;
    if (event.key === 'ArrowDown' && at + 1 < links.length) {
      event.preventDefault();
      links[at + 1].focus();
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      (at > 0 ? links[at - 1] : input).focus();
    } else if (event.key === 'Escape') {
      input.focus();
    }
  });

  var initial = new URLSearchParams(window.location.search).get('q');
  if (initial) {
    input.value = initial;
    render(initial);
  }
})();
