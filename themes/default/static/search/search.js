// Tiller's site search. It runs in the browser over files the build writes
// beside this page: index.js (every document's title, headings, themes, tags
// and entities), words-*.js (the words of the bodies, in shards by their first
// letters, loaded only when a query needs them) and text-*.js (summaries and
// body texts, loaded only to cut snippets for the results shown). Everything
// loads by <script> elements, so the page works from a plain file:// folder
// as well as from any static host.
(function () {
  'use strict';

  var index = window.tillerSearchIndex;
  var box = document.getElementById('search');
  var form = document.getElementById('search-form');
  var input = document.getElementById('search-input');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  if (!box || !form || !input || !status || !list) return;

  if (!index || index.version !== 1) {
    status.textContent = 'The search index could not be loaded, so search is not available. Browse by theme or tag instead.';
    return;
  }

  var PAGE = 20;
  var MAX_EXPANSIONS = 64;
  var WEIGHTS = { title: 10, entities: 6, themes: 5, tags: 5, headings: 4 };
  // Articles are what readers come for; pages and entries for people,
  // organisations and terms follow them unless they match much better.
  var GROUPS = { article: 1, page: 0.8, entity: 0.6 };
  var stop = new Set(index.stop_words);
  var shardsThere = new Set(index.shards);
  var docs = index.docs.map(function (d) {
    return {
      url: d[0], title: d[1], group: d[2], kind: index.kinds[d[3]] || '', date: d[4],
      headings: d[5], themes: d[6], tags: d[7], entities: d[8], aka: d[9], words: null
    };
  });
  var words = window.tillerSearchWords = window.tillerSearchWords || {};
  var texts = window.tillerSearchTexts = window.tillerSearchTexts || {};
  var asked = new Set();
  var onFile = window.location.protocol === 'file:';
  var results = [];
  var shown = [];
  var query = [];
  var lastText = null;

  // Words as the index makes them: accents off, lowercase, letters and
  // digits, two characters or more.
  function fold(text) {
    return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  }
  function wordsOf(text) {
    return (fold(text).match(/[\p{L}\p{N}]+/gu) || []).filter(function (w) { return w.length > 1; });
  }
  function tableWords(table) {
    return table.map(function (name) { return wordsOf(name); });
  }
  var themeWords = tableWords(index.themes);
  var tagWords = tableWords(index.tags);
  var entityWords = tableWords(index.entities);

  function docWords(doc) {
    if (!doc.words) {
      doc.words = {
        title: wordsOf(doc.title),
        headings: wordsOf(doc.headings.join(' ')),
        aka: wordsOf(doc.aka.join(' '))
      };
    }
    return doc.words;
  }

  function shardKey(word) {
    return Array.from(word).slice(0, index.key_length).map(function (c) {
      return /[a-z0-9]/.test(c) ? c : '_' + c.codePointAt(0).toString(16);
    }).join('');
  }

  function load(src, done) {
    var script = document.createElement('script');
    script.src = src;
    script.onload = done;
    script.onerror = done;
    document.head.appendChild(script);
  }

  // Loads the shards `terms` need; true if they are all here already.
  function shardsReady(terms) {
    var ready = true;
    terms.forEach(function (term) {
      var key = shardKey(term);
      if (!shardsThere.has(key) || words[key]) return;
      ready = false;
      if (asked.has('w' + key)) return;
      asked.add('w' + key);
      load('words-' + key + '.js', function () {
        // A shard that failed to load is not waited for again.
        if (!words[key]) shardsThere.delete(key);
        if (lastText !== null) run(lastText);
      });
    });
    return ready;
  }

  // How well a list of words matches `term`: whole word, or its start.
  function best(list, term, weight) {
    var score = 0;
    for (var i = 0; i < list.length; i++) {
      if (list[i] === term) return weight;
      if (list[i].lastIndexOf(term, 0) === 0) score = weight / 2;
    }
    return score;
  }

  function search(terms) {
    var total = docs.length;
    var scores = null;
    terms.forEach(function (term) {
      var mine = new Map();
      var themeScore = themeWords.map(function (w) { return best(w, term, WEIGHTS.themes); });
      var tagScore = tagWords.map(function (w) { return best(w, term, WEIGHTS.tags); });
      var entityScore = entityWords.map(function (w) { return best(w, term, WEIGHTS.entities); });
      docs.forEach(function (doc, i) {
        var own = docWords(doc);
        var score = Math.max(
          best(own.title, term, WEIGHTS.title),
          best(own.headings, term, WEIGHTS.headings),
          best(own.aka, term, WEIGHTS.entities)
        );
        doc.themes.forEach(function (t) { score = Math.max(score, themeScore[t]); });
        doc.tags.forEach(function (t) { score = Math.max(score, tagScore[t]); });
        doc.entities.forEach(function (e) { score = Math.max(score, entityScore[e]); });
        if (score > 0) mine.set(i, score);
      });
      // Body words: the more often, and the rarer the word, the higher.
      var shard = words[shardKey(term)] || {};
      var found = Object.keys(shard).filter(function (w) { return w.lastIndexOf(term, 0) === 0; });
      found.sort(function (a, b) { return a.length - b.length; });
      found.slice(0, MAX_EXPANSIONS).forEach(function (word) {
        var packed = shard[word];
        var share = word === term ? 1 : 0.5;
        var idf = Math.log(1 + total / (packed.length / 2));
        var doc = 0;
        for (var i = 0; i + 1 < packed.length; i += 2) {
          doc = i === 0 ? packed[0] : doc + packed[i];
          var score = share * (1 + Math.log(packed[i + 1])) * idf;
          mine.set(doc, (mine.get(doc) || 0) + score);
        }
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
    var ranked = [];
    scores.forEach(function (score, doc) {
      ranked.push([doc, score * (GROUPS[docs[doc].group] || 1)]);
    });
    ranked.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
    return ranked.map(function (entry) { return entry[0]; });
  }

  function matches(word) {
    return query.some(function (term) { return word.lastIndexOf(term, 0) === 0; });
  }

  // `text` as nodes, with every word that begins like a query word marked.
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

  // About 200 characters of `text` around its first matching word, or null.
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

  // The first 200 or so characters of `text`, cut at a word.
  function opening(text) {
    if (text.length <= 220) return text;
    var end = text.lastIndexOf(' ', 220);
    return text.slice(0, end > 0 ? end : 220) + '…';
  }

  function chunkOf(doc) { return Math.floor(doc / index.chunk_size); }

  // Loads the text chunk of `doc` once; its snippets are filled in then.
  function requestText(doc) {
    var chunk = chunkOf(doc);
    if (texts[chunk] || asked.has('t' + chunk)) return;
    asked.add('t' + chunk);
    load('text-' + chunk + '.js', fillSnippets);
  }

  function fillSnippets() {
    shown.forEach(function (item) {
      var chunk = texts[chunkOf(item.doc)];
      if (!chunk || item.filled) return;
      // [summary, text]: the summary is empty when the text begins with it.
      var entry = chunk[item.doc % index.chunk_size];
      var cut = snippet(entry[1]) || snippet(entry[0]) || entry[0] || opening(entry[1]);
      item.node.textContent = '';
      item.node.appendChild(highlighted(cut));
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

  function show(from) {
    var more = document.getElementById('search-more');
    if (more) more.remove();
    results.slice(from, from + PAGE).forEach(function (doc) {
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
      item.appendChild(body);
      list.appendChild(item);
      shown.push({ doc: doc, node: body, filled: false });
      requestText(doc);
    });
    fillSnippets();
    if (results.length > from + PAGE) {
      var button = document.createElement('button');
      button.id = 'search-more';
      button.type = 'button';
      button.className = 'search-more';
      button.textContent = 'Show more results';
      button.addEventListener('click', function () {
        var first = list.children.length;
        show(from + PAGE);
        var next = list.children[first];
        if (next) next.querySelector('a').focus();
      });
      list.after(button);
    }
  }

  function run(text) {
    lastText = text;
    var all = wordsOf(text);
    var terms = all.filter(function (w) { return !stop.has(w); });
    if (terms.length === 0) terms = all;
    terms = terms.filter(function (t, i) { return terms.indexOf(t) === i; });
    if (terms.length === 0) {
      query = [];
      results = [];
      shown = [];
      list.textContent = '';
      status.textContent = '';
      return;
    }
    if (!shardsReady(terms)) {
      status.textContent = 'Searching…';
      return;
    }
    query = terms;
    results = search(terms);
    shown = [];
    list.textContent = '';
    var count = results.length;
    status.textContent = count === 0
      ? 'No results for “' + text.trim() + '”. Try fewer or shorter words.'
      : count + (count === 1 ? ' result' : ' results') + ' for “' + text.trim() + '”.';
    show(0);
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
      run(input.value);
      remember(input.value);
    }, 120);
  });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    run(input.value);
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
    run(initial);
  }
})();
