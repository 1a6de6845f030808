// Tiller's site search. It runs in the browser over files the build writes
// beside this page, loaded by <script> elements (so the page works from a
// plain file:// folder as well as from any static host), and only as a query
// needs them:
// - index.js, with the page: the themes and kinds to filter by, the shards
//   that exist, and each document's kind and themes in a few characters;
// - words-<prefix>.js, per query word: the stems of the words starting with
//   that prefix, each with its documents, and which word has which stem;
// - meta-<chunk>.js and text-<n>.js, for the results shown: titles, URLs and
//   dates of 20 documents, and one document's text to cut a snippet from.
// stem.js stems query words as the build stemmed the index's words.
(function () {
  'use strict';

  var index = window.tillerSearchIndex;
  var stemOf = window.tillerStem;
  var box = document.getElementById('search');
  var form = document.getElementById('search-form');
  var input = document.getElementById('search-input');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  if (!box || !form || !input || !status || !list) return;

  if (!index || index.version !== 2 || !stemOf) {
    status.textContent = 'The search index could not be loaded, so search is not available. Browse by theme or tag instead.';
    return;
  }

  var PAGE = 20;
  // A word being typed matches at most this many longer words.
  var MAX_EXPANSIONS = 64;
  // A word shorter than the shards' prefixes loads at most this many shards.
  var MAX_PREFIX_SHARDS = 8;
  // What a word in each place of a document counts for, by the place the
  // index gives: none (body only), heading, theme or tag, entity, title.
  var PLACES = [0, 4, 5, 6, 10];
  // How much a match counts by how it matched the query word.
  var EXACT = 1;
  var PREFIX = 0.5;
  var TYPO = 0.3;
  var own = Object.prototype.hasOwnProperty;
  var stop = new Set(index.stop_words);
  var shardsThere = new Set(index.shards);
  var words = window.tillerSearchWords = window.tillerSearchWords || {};
  var metas = window.tillerSearchMeta = window.tillerSearchMeta || {};
  var texts = window.tillerSearchTexts = window.tillerSearchTexts || {};
  var asked = new Set();
  var onFile = window.location.protocol === 'file:';
  var total = index.documents;
  var results = [];    // every match, best first
  var filtered = [];   // those the filters let through
  var shown = [];
  var query = [];      // the query's words
  var stems = new Set();   // the stems they matched
  var typos = new Set();   // the words misspelt query words matched
  var lastText = null;
  var resultsText = '';  // the query the results are for
  var waiting = null;  // what to do when a file of titles arrives

  // Words as the index makes them: accents off, lowercase, letters and
  // digits, two characters or more.
  function fold(text) {
    return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  }
  function wordsOf(text) {
    return (fold(text).match(/[\p{L}\p{N}]+/gu) || []).filter(function (w) { return w.length > 1; });
  }

  // Each document's kind and themes, from the index's core.
  var DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  function bit(doc, n) {
    var digit = DIGITS.indexOf(index.core.charAt(doc * index.core_width + Math.floor(n / 6)));
    return (digit >> (n % 6)) & 1;
  }
  function kindOf(doc) {
    return DIGITS.indexOf(index.core.charAt(doc * index.core_width)) & 15;
  }
  function hasTheme(doc, theme) { return bit(doc, 4 + theme) === 1; }
  // Articles are what readers come for; pages and entries for people,
  // organisations and terms follow them unless they match much better.
  function groupWeight(doc) {
    return doc < index.articles ? 1 : doc < index.articles + index.pages ? 0.8 : 0.6;
  }

  // The filters: a box for each theme, and for each kind the site has.
  var chosenThemes = new Set();
  var chosenKinds = new Set();
  var filterBoxes = [];
  var kindsThere = new Set();
  for (var d = 0; d < total; d++) kindsThere.add(kindOf(d));

  function facet(legendText, name, entries, chosen) {
    var fieldset = document.createElement('fieldset');
    fieldset.className = 'search-facet';
    var legend = document.createElement('legend');
    legend.textContent = legendText;
    fieldset.appendChild(legend);
    entries.forEach(function (entry) {
      var label = document.createElement('label');
      var check = document.createElement('input');
      check.type = 'checkbox';
      check.name = name;
      check.value = entry.slug;
      check.addEventListener('change', function () {
        if (check.checked) chosen.add(entry.id); else chosen.delete(entry.id);
        remember(input.value);
        applyFilters();
      });
      var count = document.createElement('span');
      count.className = 'search-count';
      label.appendChild(check);
      label.appendChild(document.createTextNode(' ' + entry.name + ' '));
      label.appendChild(count);
      fieldset.appendChild(label);
      filterBoxes.push({ name: name, entry: entry, check: check, count: count, chosen: chosen });
    });
    return fieldset;
  }
  var filters = document.createElement('div');
  filters.id = 'search-filters';
  filters.className = 'search-filters';
  if (index.themes.length) {
    filters.appendChild(facet('Leadership theme', 'theme', index.themes.map(function (t, i) {
      return { id: i, name: t[0], slug: t[1] };
    }), chosenThemes));
  }
  var kindEntries = [];
  index.kinds.forEach(function (k, i) {
    if (kindsThere.has(i)) kindEntries.push({ id: i, name: k[0], slug: k[1] });
  });
  if (kindEntries.length > 1) filters.appendChild(facet('Kind', 'kind', kindEntries, chosenKinds));
  form.appendChild(filters);

  function passes(doc, themes, kinds) {
    if (kinds && chosenKinds.size && !chosenKinds.has(kindOf(doc))) return false;
    if (themes && chosenThemes.size) {
      var any = false;
      chosenThemes.forEach(function (t) { if (hasTheme(doc, t)) any = true; });
      if (!any) return false;
    }
    return true;
  }

  // Shard names, as the index makes them: ASCII letters and digits as they
  // are, other characters as `_` and their code point in hex.
  function shardKey(prefix) {
    return Array.from(prefix).map(function (c) {
      return /[a-z0-9]/.test(c) ? c : '_' + c.codePointAt(0).toString(16);
    }).join('');
  }
  // The shard that holds `word`: the longest prefix of it that has one.
  function shardOf(word) {
    var chars = Array.from(word);
    for (var n = Math.min(chars.length, 4); n > 0; n--) {
      var key = shardKey(chars.slice(0, n).join(''));
      if (shardsThere.has(key)) return key;
    }
    return null;
  }
  // The shards a query word needs: its own, its stem's, and, for a word
  // shorter than the prefixes that name them, those of the words it begins.
  function shardsOf(term) {
    var keys = new Set();
    [shardOf(term), shardOf(stemOf(term))].forEach(function (k) { if (k) keys.add(k); });
    var start = shardKey(term);
    var longer = index.shards.filter(function (k) { return k.length > start.length && k.lastIndexOf(start, 0) === 0; });
    if (longer.length <= MAX_PREFIX_SHARDS) longer.forEach(function (k) { keys.add(k); });
    return Array.from(keys);
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
      shardsOf(term).forEach(function (key) {
        if (words[key]) return;
        ready = false;
        if (asked.has('w' + key)) return;
        asked.add('w' + key);
        load('words-' + key + '.js', function () {
          // A shard that failed to load is not waited for again.
          if (!words[key]) shardsThere.delete(key);
          if (lastText !== null) run(lastText);
        });
      });
    });
    return ready;
  }

  // Whether `a` and `b` are within `limit` edits (insertions, deletions,
  // substitutions, and swaps of two letters side by side).
  function withinEdits(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return false;
    var prev = [];
    for (var j = 0; j <= b.length; j++) prev[j] = j;
    var prev2 = null;
    for (var i = 1; i <= a.length; i++) {
      var row = [i];
      var least = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
        row[j] = v;
        if (v < least) least = v;
      }
      if (least > limit) return false;
      prev2 = prev;
      prev = row;
    }
    return prev[b.length] <= limit;
  }
  function editDistance(a, b) {
    for (var n = 0; n <= 2; n++) if (withinEdits(a, b, n)) return n;
    return 3;
  }

  // What a query word matches in its shards: [shard, stem, share] each; the
  // word it was taken to be, when misspelt.
  function matchesOf(term) {
    var found = [];
    var seen = new Set();
    var keys = shardsOf(term).filter(function (k) { return words[k]; });
    function add(key, stem, share) {
      if (seen.has(key + ' ' + stem) || !own.call(words[key].stems, stem)) return;
      seen.add(key + ' ' + stem);
      found.push([key, stem, share]);
    }
    var stemmed = stemOf(term);
    keys.forEach(function (key) {
      var shard = words[key];
      if (own.call(shard.words, term)) add(key, shard.words[term] || term, EXACT);
      add(key, stemmed, EXACT);
    });
    keys.forEach(function (key) {
      var shard = words[key];
      var longer = Object.keys(shard.words).filter(function (w) { return w !== term && w.lastIndexOf(term, 0) === 0; });
      longer.sort(function (a, b) { return a.length - b.length || (a < b ? -1 : 1); });
      longer.slice(0, MAX_EXPANSIONS).forEach(function (w) { add(key, shard.words[w] || w, PREFIX); });
    });
    if (found.length || Array.from(term).length < 5) return { found: found, as: null };
    // Misspelt: the words of its own shards within one edit (two from nine
    // letters), the nearest only.
    var limit = Array.from(term).length >= 9 ? 2 : 1;
    var best = limit + 1;
    var near = [];
    keys.forEach(function (key) {
      Object.keys(words[key].words).forEach(function (w) {
        if (!withinEdits(term, w, limit)) return;
        var distance = editDistance(term, w);
        if (distance < best) { best = distance; near = []; }
        if (distance === best) near.push([key, w]);
      });
    });
    var as = null;
    var asDocs = -1;
    near.forEach(function (kw) {
      var stem = words[kw[0]].words[kw[1]] || kw[1];
      add(kw[0], stem, TYPO);
      typos.add(kw[1]);
      var docs = (words[kw[0]].stems[stem] || []).length;
      if (docs > asDocs) { asDocs = docs; as = kw[1]; }
    });
    return { found: found, as: as };
  }

  function search(terms) {
    var scores = null;
    var corrected = [];
    stems = new Set();
    typos = new Set();
    terms.forEach(function (term) {
      var mine = new Map();
      var matched = matchesOf(term);
      corrected.push(matched.as || term);
      matched.found.forEach(function (match) {
        var packed = words[match[0]].stems[match[1]];
        var share = match[2];
        stems.add(match[1]);
        // The rarer the word, the more a use of it in the body counts.
        var idf = Math.log(1 + total / (packed.length / 2));
        var doc = 0;
        for (var i = 0; i + 1 < packed.length; i += 2) {
          doc = i === 0 ? packed[0] : doc + packed[i];
          var value = packed[i + 1];
          var times = value >> 3;
          var place = PLACES[value & 7] * share;
          var body = times ? share * (1 + Math.log(times)) * idf : 0;
          var score = mine.get(doc);
          if (!score) mine.set(doc, [place, body]);
          else { score[0] = Math.max(score[0], place); score[1] += body; }
        }
      });
      // Every word of the query must match somewhere.
      if (scores === null) {
        scores = new Map();
        mine.forEach(function (s, doc) { scores.set(doc, s[0] + s[1]); });
      } else {
        var next = new Map();
        scores.forEach(function (score, doc) {
          var s = mine.get(doc);
          if (s) next.set(doc, score + s[0] + s[1]);
        });
        scores = next;
      }
    });
    var ranked = [];
    scores.forEach(function (score, doc) { ranked.push([doc, score * groupWeight(doc)]); });
    ranked.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
    var changed = corrected.some(function (w, i) { return w !== terms[i]; });
    return { docs: ranked.map(function (entry) { return entry[0]; }), as: changed ? corrected.join(' ') : null };
  }

  function matches(word) {
    if (typos.has(word) || stems.has(stemOf(word))) return true;
    return query.some(function (term) { return word.lastIndexOf(term, 0) === 0; });
  }

  // `text` as nodes, with every word that matched a query word marked.
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
  function metaOf(doc) {
    var chunk = metas[chunkOf(doc)];
    return chunk ? chunk[doc % index.chunk_size] : null;
  }

  // Loads the titles of `docs`; true if they are all here already.
  function metasReady(docs) {
    var ready = true;
    docs.forEach(function (doc) {
      var chunk = chunkOf(doc);
      if (metas[chunk]) return;
      ready = false;
      if (asked.has('m' + chunk)) return;
      asked.add('m' + chunk);
      load('meta-' + chunk + '.js', function () {
        // A file that failed to load is shown without its title.
        if (!metas[chunk]) metas[chunk] = [];
        if (waiting) waiting();
      });
    });
    return ready;
  }

  // Loads the text of `doc` once; its snippet is filled in then.
  function requestText(doc) {
    if (texts[doc] || asked.has('t' + doc)) return;
    asked.add('t' + doc);
    load('text-' + doc + '.js', fillSnippets);
  }

  function fillSnippets() {
    shown.forEach(function (item) {
      var entry = texts[item.doc];
      if (!entry || item.filled) return;
      // [summary, text]: the summary is empty when the text begins with it.
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

  // Shows the next page of results once their titles are here.
  function show(from, done) {
    var page = filtered.slice(from, from + PAGE);
    if (!metasReady(page)) {
      waiting = function () { show(from, done); };
      return;
    }
    waiting = null;
    if (done) done();
    var more = document.getElementById('search-more');
    if (more) more.remove();
    page.forEach(function (doc) {
      var entry = metaOf(doc) || ['', '', ''];
      var item = document.createElement('li');
      var heading = document.createElement('h2');
      var link = document.createElement('a');
      link.href = href(entry[0]);
      link.appendChild(highlighted(entry[1]));
      heading.appendChild(link);
      item.appendChild(heading);
      var meta = document.createElement('p');
      meta.className = 'meta';
      var kind = index.kinds[kindOf(doc)];
      meta.textContent = (kind ? kind[0] : '') + (entry[2] ? ' · ' + entry[2] : '');
      item.appendChild(meta);
      var body = document.createElement('p');
      body.className = 'snippet';
      item.appendChild(body);
      list.appendChild(item);
      shown.push({ doc: doc, node: body, filled: false });
      requestText(doc);
    });
    fillSnippets();
    if (filtered.length > from + PAGE) {
      var button = document.createElement('button');
      button.id = 'search-more';
      button.type = 'button';
      button.className = 'search-more';
      button.textContent = 'Show more results';
      button.addEventListener('click', function () {
        var first = list.children.length;
        show(from + PAGE, function () {
          window.setTimeout(function () {
            var next = list.children[first];
            if (next) next.querySelector('a').focus();
          }, 0);
        });
      });
      list.after(button);
    }
  }

  var lastCorrection = null;

  // Narrows the results to the chosen themes and kinds, counts what each
  // box would give, and shows the first page.
  function applyFilters() {
    filtered = results.filter(function (doc) { return passes(doc, true, true); });
    // What each box would give with the other filter as it is: one pass.
    var themeCounts = index.themes.map(function () { return 0; });
    var kindCounts = index.kinds.map(function () { return 0; });
    results.forEach(function (doc) {
      if (passes(doc, true, false)) kindCounts[kindOf(doc)]++;
      if (passes(doc, false, true)) {
        for (var t = 0; t < themeCounts.length; t++) if (hasTheme(doc, t)) themeCounts[t]++;
      }
    });
    filterBoxes.forEach(function (box) {
      var n = (box.name === 'theme' ? themeCounts : kindCounts)[box.entry.id];
      box.count.textContent = query.length ? '(' + n + ')' : '';
    });
    if (!query.length) return;
    var more = document.getElementById('search-more');
    if (more) more.remove();
    status.textContent = 'Searching…';
    show(0, function () {
      shown = [];
      list.textContent = '';
      var text = resultsText;
      var narrowed = filtered.length !== results.length;
      var count = filtered.length;
      status.textContent = '';
      if (results.length === 0) {
        status.textContent = 'No results for “' + text + '”. Try fewer or shorter words.';
      } else if (narrowed) {
        status.textContent = count + ' of ' + results.length + ' results for “' + text + '”, in the chosen ' +
          (chosenThemes.size && chosenKinds.size ? 'themes and kinds' : chosenThemes.size ? 'themes' : 'kinds') + '.';
      } else {
        status.textContent = count + (count === 1 ? ' result' : ' results') + ' for “' + text + '”.';
      }
      if (lastCorrection && results.length) {
        status.appendChild(document.createTextNode(' Showing results for '));
        var em = document.createElement('em');
        em.textContent = lastCorrection;
        status.appendChild(em);
        status.appendChild(document.createTextNode('.'));
      }
    });
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
      filtered = [];
      shown = [];
      waiting = null;
      list.textContent = '';
      status.textContent = '';
      applyFilters();
      return;
    }
    if (!shardsReady(terms)) {
      // What an earlier query waited for is shown no more.
      waiting = null;
      status.textContent = 'Searching…';
      return;
    }
    resultsText = text.trim();
    query = terms;
    var found = search(terms);
    results = found.docs;
    lastCorrection = found.as;
    applyFilters();
  }

  function remember(text) {
    try {
      var url = new URL(window.location.href);
      if (text.trim()) url.searchParams.set('q', text.trim()); else url.searchParams.delete('q');
      url.searchParams.delete('theme');
      url.searchParams.delete('kind');
      filterBoxes.forEach(function (box) {
        if (box.check.checked) url.searchParams.append(box.name, box.entry.slug);
      });
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

  var params = new URLSearchParams(window.location.search);
  var wanted = { theme: params.getAll('theme'), kind: params.getAll('kind') };
  filterBoxes.forEach(function (box) {
    if (wanted[box.name].indexOf(box.entry.slug) >= 0) {
      box.check.checked = true;
      box.chosen.add(box.entry.id);
    }
  });
  var initial = params.get('q');
  if (initial) {
    input.value = initial;
    run(initial);
  }
})();
