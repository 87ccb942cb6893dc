// Tekan's search page: looks the query's words up in the shards of _search/ (tekan.searchshards), fetching
// only the head shards of those words (each word's first screen of results and the number of all), then one small
// file per result shown (its title and text, for the excerpt); the tails (the rest of a word's pages) are fetched
// when the reader asks for more results, or when a query of several words must intersect whole lists.
// A Han query becomes its glossary terms' keys and its character pairs, folded to Simplified character by
// character (as the index is): 計量 and 计量 find the same pages; Latin words (English, pinyin with or without
// tones) are stemmed as Sphinx stems them, adjacent ones joined when the index knows the joined word (ji liang).
"use strict";
(() => {
  const PAGE_SIZE = 10;
  const FORMAT = 2;
  const root = document.documentElement.dataset.content_root || "";
  const base = root + "_search/";
  const gettext = (s) => (typeof Documentation !== "undefined" ? Documentation.gettext(s) : s);
  const ngettext = (one, many, n) =>
    typeof Documentation !== "undefined" ? Documentation.ngettext(one, many, n) : n === 1 ? one : many;
  // Tekan's own words (Sphinx's catalogs lack them), in the page's language.
  const OWN = {
    "zh-Hant": { "More results": "更多結果", "Search failed": "搜尋失敗" },
    "zh-Hans": { "More results": "更多结果", "Search failed": "搜索失败" },
  };
  const own = (s) => (OWN[document.documentElement.lang] || {})[s] || gettext(s);
  const stemmer = typeof Stemmer !== "undefined" ? new Stemmer() : null;
  const stem = (w) => (stemmer ? stemmer.stemWord(w) : w);
  const HAN = /\p{Script=Han}/u;
  // Sphinx's scores (a word in a page's text, in its title), and what a listing or a reference page loses.
  const TERM = 5, TITLE = 15, LISTING = -3, REFERENCE = -1;

  const fnv1a = (word) => {
    let h = 0x811c9dc5;
    for (const c of word) h = Math.imul(h ^ c.codePointAt(0), 0x01000193) >>> 0;
    return h;
  };
  const getJSON = (path) =>
    fetch(base + path).then((r) => (r.ok ? r.json() : Promise.reject(new Error(`${r.status} ${path}`))));

  const decode = (encoded) => {
    if (!encoded) return [];
    if (typeof encoded === "string") {
      const bits = atob(encoded), pages = [];
      for (let i = 0; i < bits.length; i++) {
        const byte = bits.charCodeAt(i);
        for (let b = 0; b < 8; b++) if (byte & (1 << b)) pages.push(i * 8 + b);
      }
      return pages;
    }
    let page = 0;
    return encoded.map((gap) => (page += gap));
  };

  class Index {
    constructor(meta) {
      this.meta = meta;
      this.t2s = new Map();
      const [t, s] = meta.t2s.map((x) => Array.from(x));
      t.forEach((c, i) => this.t2s.set(c, s[i]));
      this.terms = new Map(Object.entries(meta.terms));
      this.stopwords = new Set(meta.stopwords);
      this.shards = new Map(); // "heads/3" -> promise of {word: entry}
    }
    toHans(text) {
      return Array.from(text, (c) => this.t2s.get(c) || c).join("");
    }
    // kind: "heads" ({word: [text, title]} or [text, title, count of all] when the word has a tail) or "tails".
    shard(kind, word) {
      const path = `${kind}/${fnv1a(word) % this.meta[kind]}.json`;
      if (!this.shards.has(path)) this.shards.set(path, getJSON(path));
      return this.shards.get(path);
    }
    async get(kind, word) {
      const shard = await this.shard(kind, word);
      return Object.prototype.hasOwnProperty.call(shard, word) ? shard[word] : undefined;
    }
    head(word) {
      return this.get("heads", word);
    }
    // The word's text pages and title pages: of its head only, or every one (its head and its tail).
    async pages(word, whole) {
      const head = await this.head(word);
      if (head === undefined) return undefined;
      const tail = whole && head.length > 2 ? await this.get("tails", word) : [0, 0];
      return [0, 1].map((slot) => [...decode(head[slot]), ...decode(tail[slot])]);
    }
    // The score of a page's kind: the reference pages and the listings are numbered last (tekan.searchshards).
    kind(page) {
      return page >= this.meta.listing ? LISTING : page >= this.meta.reference ? REFERENCE : 0;
    }
  }

  // The query cut into Latin groups and Han runs, in order.
  const pieces = (query) => {
    const out = [];
    let latin = [];
    const folded = query.normalize("NFD").replace(/\p{Mark}/gu, "");
    for (const chunk of folded.split(/[^\p{Letter}\p{Number}_]+/u)) {
      for (const run of chunk.match(/\p{Script=Han}+|[^\p{Script=Han}]+/gu) || []) {
        if (!HAN.test(run)) {
          latin.push(run.toLowerCase());
          continue;
        }
        if (latin.length) out.push({ latin });
        latin = [];
        out.push({ han: run });
      }
    }
    if (latin.length) out.push({ latin });
    return out;
  };

  // The index words of the query (all required), and the strings to show in excerpts.
  const split = async (index, parts) => {
    // A lookup loads the head shard of the word's stem, and of the word itself only when the stem is unknown.
    const known = async (w) => (await index.head(w)) !== undefined;
    const lookup = async (w) => ((await known(stem(w))) ? stem(w) : (await known(w)) ? w : null);
    const words = [], marks = [];
    for (const part of parts) {
      if (part.latin) {
        const latin = part.latin;
        let i = 0;
        while (i < latin.length) {
          let j = Math.min(latin.length, i + 4), found = null;
          for (; j > i + 1; j--) if ((found = await lookup(latin.slice(i, j).join(""))) !== null) break;
          const word = latin.slice(i, j).join("");
          if (found === null) found = (await lookup(word)) || stem(word);
          if (j > i + 1 || !index.stopwords.has(word)) {
            words.push(found);
            marks.push(word);
            const term = index.meta.termwords[found];
            if (term !== undefined) marks.push(...index.meta.marks[term]);
          }
          i = j;
        }
        continue;
      }
      const typed = Array.from(part.han), hans = Array.from(index.toHans(part.han));
      marks.push(part.han);
      let i = 0;
      while (i < typed.length) {
        let end = 0;
        for (let j = Math.min(typed.length, i + 16); j > i + 1 && !end; j--) {
          for (const f of [typed.slice(i, j).join(""), hans.slice(i, j).join("")]) {
            const key = index.terms.get(f);
            if (key !== undefined && (await known(key))) {
              words.push(key);
              const term = index.meta.termwords[key];
              if (term !== undefined) marks.push(...index.meta.marks[term]);
              end = j;
              break;
            }
          }
        }
        if (end) {
          i = end;
          continue;
        }
        // A pair; a last lone character goes with the one before it (as the index holds pairs only).
        const from = i + 1 < typed.length ? i : Math.max(0, i - 1);
        words.push(hans.slice(from, from + 2).join(""));
        marks.push(typed.slice(from, from + 2).join(""));
        i += 1;
      }
    }
    return { words: [...new Set(words)], marks: [...new Set(marks.filter((m) => m))] };
  };

  // The pages that have every word, best first: Sphinx's scores; pages that list statements below them, the
  // glossary and the English index just below the statements that use the word (Sphinx ranked them alike, by
  // title). From the words' heads only (a one-word query's first screen, in order: the index numbers its pages so
  // that the head is the word's first results), or from every page of every word.
  const rank = async (index, words, whole) => {
    if (!words.length) return [];
    const found = await Promise.all(words.map((word) => index.pages(word, whole)));
    let scores = null;
    for (const entry of found) {
      if (entry === undefined) return [];
      const here = new Map();
      for (const page of entry[0]) here.set(page, TERM);
      for (const page of entry[1]) here.set(page, TITLE);
      if (scores === null) scores = here;
      else {
        const both = new Map();
        for (const [page, score] of here) if (scores.has(page)) both.set(page, Math.max(score, scores.get(page)));
        scores = both;
      }
    }
    return [...scores].map(([page, score]) => [page, score + index.kind(page)]).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  };

  const escapeRegExp = (s) => s.replace(/[.*+\-?^${}()|[\]\\]/g, "\\$&");

  // Where the first of the marks (in order of preference) is found in a folded text; -1 for none.
  const firstMatch = (haystack, preferred) => {
    for (const n of preferred) {
      const at = HAN.test(n) ? haystack.indexOf(n) : haystack.search(new RegExp(`\\b${escapeRegExp(n)}`));
      if (at >= 0) return at;
    }
    return -1;
  };

  // A text folded for matching (Simplified, lower case) and the marks as they are looked for in it: in the order
  // of preference (the query as typed, a term's forms, its English, a pair) for where an excerpt starts.
  const folding = (index, text, marks) => {
    const folded = index.toHans(text).toLowerCase();
    const sameLength = folded.length === text.length;
    const haystack = sameLength ? folded : text.toLowerCase();
    const preferred = [...new Set(marks.map((m) => (sameLength ? index.toHans(m) : m).toLowerCase()))].filter(
      (m) => m.length > 1 || HAN.test(m),
    );
    return [haystack, preferred];
  };

  // The excerpt: about 160 characters around the first match of the best mark, every mark highlighted.
  const excerpt = (index, text, marks) => {
    const [haystack, preferred] = folding(index, text, marks);
    // Longest first for highlighting, so a form is marked whole, not as its pairs.
    const needles = [...preferred].sort((a, b) => b.length - a.length);
    const at = firstMatch(haystack, preferred);
    let start = at < 0 ? 0 : Math.max(0, at - 50);
    // Not in the middle of an English word ("…ub of innovation"): from the next word's start, short of the match.
    while (start > 0 && start < at && /\w/.test(text[start - 1]) && /\w/.test(text[start])) start += 1;
    const end = Math.min(text.length, start + 160);
    const p = document.createElement("p");
    p.className = "context";
    if (start > 0) p.append("…");
    const spans = [];
    const window = haystack.slice(start, end);
    for (const n of needles) {
      let k = window.indexOf(n);
      while (k >= 0) {
        spans.push([k, k + n.length]);
        k = window.indexOf(n, k + n.length);
      }
    }
    spans.sort((a, b) => a[0] - b[0]);
    let cursor = 0;
    for (const [from, to] of spans) {
      if (from < cursor) continue;
      p.append(text.slice(start + cursor, start + from));
      const mark = document.createElement("mark");
      mark.className = "highlighted";
      mark.textContent = text.slice(start + from, start + to);
      p.append(mark);
      cursor = to;
    }
    p.append(text.slice(start + cursor, end));
    if (end < text.length) p.append("…");
    return p;
  };

  const linkTo = (name) => {
    const options = typeof DOCUMENTATION_OPTIONS !== "undefined" ? DOCUMENTATION_OPTIONS : {};
    if (options.BUILDER === "dirhtml") return root + (name === "index" ? "" : name.replace(/(^|\/)index$/, "") + "/");
    return name + (options.LINK_SUFFIX || ".html"); // the search page is at the site's root
  };

  // The next screen of results; past the words' heads, their tails first.
  const show = async (index, found, marks, list, more) => {
    const shown = list.childElementCount;
    if (found.ranked.length < Math.min(found.count, shown + PAGE_SIZE))
      found.ranked = await rank(index, found.words, true);
    const batch = found.ranked.slice(shown, shown + PAGE_SIZE);
    const pages = await Promise.all(batch.map(([page]) => getJSON(`pages/${page}.json`)));
    pages.forEach((page, k) => {
      const item = document.createElement("li");
      item.className = "kind-text";
      const link = item.appendChild(document.createElement("a"));
      link.href = linkTo(page.n);
      link.dataset.score = batch[k][1];
      link.textContent = page.t;
      // The page's title and lead (its English title, the parallel page's link), a line break, its text. The
      // excerpt is cut from the text; from the lead only where the text has no match. Never the title, which the
      // result's link shows already.
      const x = page.x || "";
      const cut = x.indexOf("\n");
      const head = cut < 0 ? "" : x.slice(0, cut);
      const text = cut < 0 ? x : x.slice(cut + 1);
      const lead = page.t && head.startsWith(page.t) ? head.slice(page.t.length).trim() : head;
      const inText = firstMatch(...folding(index, text, marks)) >= 0;
      const whole = !lead || inText || firstMatch(...folding(index, lead, marks)) < 0 ? text : `${lead} ${text}`;
      // Paragraphs are joined by a space, which Chinese text does not have after a full stop (「賦能。要加快」).
      const body = whole.replace(/([。！？]) (?=[^\x00-\x7f])/gu, "$1");
      if (body) item.appendChild(excerpt(index, body, marks));
      list.appendChild(item);
    });
    more.hidden = list.childElementCount >= found.count;
  };

  let indexPromise = null;
  const openIndex = () =>
    (indexPromise ||= getJSON("meta.json").then((meta) => {
      if (meta.format !== FORMAT) throw new Error(`search index format ${meta.format}`);
      return new Index(meta);
    }));

  const run = async (query, out) => {
    const title = out.appendChild(document.createElement("h2"));
    title.textContent = gettext("Searching");
    const summary = out.appendChild(document.createElement("p"));
    summary.className = "search-summary";
    const list = out.appendChild(document.createElement("ul"));
    list.className = "search";
    list.setAttribute("role", "list");
    const more = document.createElement("button");
    more.type = "button";
    more.className = "tekan-search-more";
    more.hidden = true;
    more.textContent = own("More results");
    out.classList.add("loading");
    const index = await openIndex();
    const { words, marks } = await split(index, pieces(query));
    // One word: its head is its first screen and says how many pages it has; several: every page of each.
    const heads = await Promise.all(words.map((word) => index.head(word)));
    const one = words.length === 1 && heads[0] !== undefined;
    const ranked = await rank(index, words, !one);
    const found = { words, ranked, count: one && heads[0].length > 2 ? heads[0][2] : ranked.length };
    if (typeof localStorage !== "undefined")
      localStorage.setItem("sphinx_highlight_terms", marks.filter((m) => !/^[a-z0-9]+$/.test(m) || m.length > 2).join(" "));
    await show(index, found, marks, list, more);
    out.appendChild(more);
    more.addEventListener("click", async () => {
      more.disabled = true;
      const shown = list.childElementCount;
      await show(index, found, marks, list, more);
      more.disabled = false;
      const next = list.children[shown];
      if (next) next.querySelector("a").focus();
    });
    title.textContent = gettext("Search Results");
    summary.textContent = found.count
      ? ngettext(
          "Search finished, found one page matching the search query.",
          "Search finished, found ${resultCount} pages matching the search query.",
          found.count,
        ).replace("${resultCount}", found.count)
      : gettext(
          "Your search did not match any documents. Please make sure that all words are spelled correctly and that you've selected enough categories.",
        );
    out.classList.remove("loading");
  };

  const start = () => {
    const out = document.getElementById("search-results");
    const query = new URLSearchParams(window.location.search).get("q");
    document.querySelectorAll('input[name="q"]').forEach((input) => (input.value = query || ""));
    if (!out || !query || !query.trim()) return;
    run(query.trim(), out).catch((error) => {
      out.classList.remove("loading");
      const summary = out.querySelector(".search-summary") || out.appendChild(document.createElement("p"));
      summary.className = "search-summary";
      summary.textContent = own("Search failed") + ` (${error.message})`;
      console.error(error);
    });
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
