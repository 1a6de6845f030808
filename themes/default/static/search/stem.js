// English Snowball ("Porter2") stemming of one query word, as the build's
// index does it with the rust-stemmers crate, so that a query word the site
// never uses (`supervise`) finds the stem its other forms have (`supervis`,
// from `supervision` and `supervising`). Words come folded: lowercase ASCII
// letters, digits, or other letters (which are never vowels here). The test
// `tests/stemmer.rs` runs this against rust-stemmers on thousands of words.
(function (root) {
  'use strict';

  var EXCEPTIONS = {
    skis: 'ski', skies: 'sky', dying: 'die', lying: 'lie', tying: 'tie',
    idly: 'idl', gently: 'gentl', ugly: 'ugli', early: 'earli', only: 'onli', singly: 'singl',
    sky: 'sky', news: 'news', howe: 'howe', atlas: 'atlas', cosmos: 'cosmos', bias: 'bias', andes: 'andes'
  };
  var AFTER_1A = ['inning', 'outing', 'canning', 'herring', 'earring', 'proceed', 'exceed', 'succeed'];
  // Longest first, as Snowball's `among` takes the longest that ends the word.
  var STEP2 = [
    ['ization', 'ize'], ['ational', 'ate'], ['fulness', 'ful'], ['ousness', 'ous'], ['iveness', 'ive'],
    ['tional', 'tion'], ['biliti', 'ble'], ['lessli', 'less'],
    ['entli', 'ent'], ['ation', 'ate'], ['alism', 'al'], ['aliti', 'al'], ['ousli', 'ous'],
    ['iviti', 'ive'], ['fulli', 'ful'],
    ['enci', 'ence'], ['anci', 'ance'], ['abli', 'able'], ['izer', 'ize'], ['ator', 'ate'], ['alli', 'al'],
    ['bli', 'ble'], ['ogi', 'og'],
    ['li', '']
  ];
  var STEP3 = [
    ['ational', 'ate'], ['tional', 'tion'], ['alize', 'al'], ['icate', 'ic'], ['iciti', 'ic'],
    ['ative', ''], ['ical', 'ic'], ['ness', ''], ['ful', '']
  ];
  var STEP4 = [
    'ement', 'ance', 'ence', 'able', 'ible', 'ment', 'ant', 'ent', 'ism', 'ate', 'iti', 'ous',
    'ive', 'ize', 'ion', 'al', 'er', 'ic'
  ];

  function vowel(c) { return c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u' || c === 'y'; }
  function ends(w, s) { return w.length >= s.length && w.slice(w.length - s.length) === s; }
  function longest(w, list) {
    for (var i = 0; i < list.length; i++) {
      var s = typeof list[i] === 'string' ? list[i] : list[i][0];
      if (ends(w, s)) return list[i];
    }
    return null;
  }
  // Where the region after the first non-vowel that follows a vowel starts,
  // looking from `i`.
  function regionFrom(w, i) {
    while (i < w.length && !vowel(w[i])) i++;
    if (i >= w.length) return w.length;
    while (i < w.length && vowel(w[i])) i++;
    return i >= w.length ? w.length : i + 1;
  }
  // Whether `w` ends in a short syllable.
  function shortEnd(w) {
    var n = w.length;
    if (n >= 3) {
      var last = w[n - 1];
      return !vowel(last) && last !== 'w' && last !== 'x' && last !== 'Y' && vowel(w[n - 2]) && !vowel(w[n - 3]);
    }
    return n === 2 && vowel(w[0]) && !vowel(w[1]);
  }

  function stem(word) {
    if (Object.prototype.hasOwnProperty.call(EXCEPTIONS, word)) return EXCEPTIONS[word];
    if (word.length < 3) return word;
    var w = word;
    // y as a consonant: at the start, or after a vowel.
    if (w[0] === 'y') w = 'Y' + w.slice(1);
    for (var i = 1; i < w.length; i++) {
      if (w[i] === 'y' && vowel(w[i - 1])) w = w.slice(0, i) + 'Y' + w.slice(i + 1);
    }
    var prefix = /^(gener|commun|arsen)/.exec(w);
    var p1 = prefix ? prefix[0].length : regionFrom(w, 0);
    var p2 = regionFrom(w, p1);

    // Step 1a
    if (ends(w, 'sses')) {
      w = w.slice(0, -2);
    } else if (ends(w, 'ied') || ends(w, 'ies')) {
      w = w.length > 4 ? w.slice(0, -2) : w.slice(0, -1);
    } else if (ends(w, 'us') || ends(w, 'ss')) {
      // kept
    } else if (ends(w, 's')) {
      if (/[aeiouy]/.test(w.slice(0, -2))) w = w.slice(0, -1);
    }
    if (AFTER_1A.indexOf(w) < 0) {
      // Step 1b
      var s1b = longest(w, ['eedly', 'ingly', 'edly', 'eed', 'ing', 'ed']);
      if (s1b === 'eed' || s1b === 'eedly') {
        if (w.length - s1b.length >= p1) w = w.slice(0, w.length - s1b.length) + 'ee';
      } else if (s1b) {
        var before = w.slice(0, w.length - s1b.length);
        if (/[aeiouy]/.test(before)) {
          w = before;
          if (ends(w, 'at') || ends(w, 'bl') || ends(w, 'iz')) {
            w += 'e';
          } else if (/(bb|dd|ff|gg|mm|nn|pp|rr|tt)$/.test(w)) {
            w = w.slice(0, -1);
          } else if (w.length === p1 && shortEnd(w)) {
            w += 'e';
          }
        }
      }
      // Step 1c
      var n = w.length;
      if (n > 2 && (w[n - 1] === 'y' || w[n - 1] === 'Y') && !vowel(w[n - 2])) w = w.slice(0, -1) + 'i';
      // Step 2
      var s2 = longest(w, STEP2);
      if (s2 && w.length - s2[0].length >= p1) {
        var rest2 = w.slice(0, w.length - s2[0].length);
        var last2 = rest2.slice(-1);
        if (s2[0] === 'ogi') {
          if (last2 === 'l') w = rest2 + s2[1];
        } else if (s2[0] === 'li') {
          if (last2 && 'cdeghkmnrt'.indexOf(last2) >= 0) w = rest2;
        } else {
          w = rest2 + s2[1];
        }
      }
      // Step 3
      var s3 = longest(w, STEP3);
      if (s3 && w.length - s3[0].length >= p1) {
        if (s3[0] !== 'ative' || w.length - s3[0].length >= p2) w = w.slice(0, w.length - s3[0].length) + s3[1];
      }
      // Step 4
      var s4 = longest(w, STEP4);
      if (s4 && w.length - s4.length >= p2) {
        var rest4 = w.slice(0, w.length - s4.length);
        if (s4 !== 'ion' || ends(rest4, 's') || ends(rest4, 't')) w = rest4;
      }
      // Step 5
      n = w.length;
      if (ends(w, 'e')) {
        if (n - 1 >= p2 || (n - 1 >= p1 && !shortEnd(w.slice(0, -1)))) w = w.slice(0, -1);
      } else if (ends(w, 'l')) {
        if (n - 1 >= p2 && w[n - 2] === 'l') w = w.slice(0, -1);
      }
    }
    return w.replace(/Y/g, 'y');
  }

  root.tillerStem = stem;
})(typeof window !== 'undefined' ? window : globalThis);
