// Tekan's search page: looks the query's words up in the shards of _search/ (tekan.searchshards), fetching
// only the shards of those words, then one small file per result shown (its title and text, for the excerpt).
// A Han query becomes its glossary terms' keys and its character pairs, folded to Simplified character by
// character (as the index is): 計量 and 计量 find the same pages; Latin words (English, pinyin with or without
// tones) are stemmed as Sphinx stems them, adjacent ones joined when the index knows the joined word (ji liang).
"use strict";
(() => {
  const PAGE_SIZE = 10;
  const FORMAT = 1;
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
      this.listing = new Set(meta.listing);
      this.reference = new Set(meta.reference || []);
      this.shards = new Map(); // shard number -> promise of {word: [text, title]}
    }
    toHans(text) {
      return Array.from(text, (c) => this.t2s.get(c) || c).join("");
    }
    shardOf(word) {
      return fnv1a(word) % this.meta.shards;
    }
    load(words) {
      return Promise.all(
        [...new Set(words.map((w) => this.shardOf(w)))].map((n) => {
          if (!this.shards.has(n)) this.shards.set(n, getJSON(`shards/${n}.json`));
          return this.shards.get(n);
        }),
      );
    }
    async entry(word) {
      const shard = await this.shards.get(this.shardOf(word));
      return Object.prototype.hasOwnProperty.call(shard, word) ? shard[word] : undefined;
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

  // Every word the splitter may look up, so their shards load together.
  const candidates = (index, parts) => {
    const words = [];
    for (const part of parts) {
      if (part.latin) {
        for (let i = 0; i < part.latin.length; i++)
          for (let j = i + 1; j <= Math.min(part.latin.length, i + 4); j++) {
            const w = part.latin.slice(i, j).join("");
            words.push(w, stem(w));
          }
      } else {
        const typed = Array.from(part.han), hans = Array.from(index.toHans(part.han));
        for (let i = 0; i < typed.length; i++) {
          if (i + 1 < typed.length) words.push(hans.slice(i, i + 2).join(""));
          for (let j = i + 2; j <= Math.min(typed.length, i + 16); j++)
            for (const f of [typed.slice(i, j).join(""), hans.slice(i, j).join("")])
              if (index.terms.has(f)) words.push(index.terms.get(f));
        }
        if (typed.length === 1) words.push(hans[0]);
      }
    }
    return words;
  };

  // The index words of the query (all required), and the strings to show in excerpts.
  const split = async (index, parts) => {
    const known = async (w) => (await index.entry(w)) !== undefined;
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

  // Sphinx's scores; pages that list statements below them, the glossary and the English index just below
  // the statements that use the word (Sphinx ranked them alike, by title).
  const TERM = 5, TITLE = 15, LISTING = -3, REFERENCE = -1;
  const rank = async (index, words) => {
    if (!words.length) return [];
    let scores = null;
    for (const word of words) {
      const entry = await index.entry(word);
      if (entry === undefined) return [];
      const here = new Map();
      for (const page of decode(entry[0])) here.set(page, TERM);
      for (const page of decode(entry[1])) here.set(page, TITLE);
      if (scores === null) scores = here;
      else {
        const both = new Map();
        for (const [page, score] of here) if (scores.has(page)) both.set(page, Math.max(score, scores.get(page)));
        scores = both;
      }
    }
    return [...scores]
      .map(([page, score]) => [
        page,
        score + (index.listing.has(page) ? LISTING : index.reference.has(page) ? REFERENCE : 0),
      ])
      .sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  };

  const escapeRegExp = (s) => s.replace(/[.*+\-?^${}()|[\]\\]/g, "\\$&");

  // The excerpt: about 160 characters around the first match of the best mark, every mark highlighted.
  const excerpt = (index, text, marks) => {
    const folded = index.toHans(text).toLowerCase();
    const sameLength = folded.length === text.length;
    const haystack = sameLength ? folded : text.toLowerCase();
    // In the order of preference (the query as typed, a term's forms, its English, a pair) for where the
    // excerpt starts; longest first for highlighting, so a form is marked whole, not as its pairs.
    const preferred = [...new Set(marks.map((m) => (sameLength ? index.toHans(m) : m).toLowerCase()))].filter(
      (m) => m.length > 1 || HAN.test(m),
    );
    const needles = [...preferred].sort((a, b) => b.length - a.length);
    let at = -1;
    for (const n of preferred) {
      at = HAN.test(n) ? haystack.indexOf(n) : haystack.search(new RegExp(`\\b${escapeRegExp(n)}`));
      if (at >= 0) break;
    }
    const start = at < 0 ? 0 : Math.max(0, at - 50);
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

  const show = async (index, ranked, marks, list, more) => {
    const shown = list.childElementCount;
    const batch = ranked.slice(shown, shown + PAGE_SIZE);
    const pages = await Promise.all(batch.map(([page]) => getJSON(`pages/${page}.json`)));
    pages.forEach((page, k) => {
      const item = document.createElement("li");
      item.className = "kind-text";
      const link = item.appendChild(document.createElement("a"));
      link.href = linkTo(page.n);
      link.dataset.score = batch[k][1];
      link.textContent = page.t;
      if (page.x) item.appendChild(excerpt(index, page.x, marks));
      list.appendChild(item);
    });
    more.hidden = list.childElementCount >= ranked.length;
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
    const parts = pieces(query);
    await index.load(candidates(index, parts));
    const { words, marks } = await split(index, parts);
    await index.load(words);
    const ranked = await rank(index, words);
    if (typeof localStorage !== "undefined")
      localStorage.setItem("sphinx_highlight_terms", marks.filter((m) => !/^[a-z0-9]+$/.test(m) || m.length > 2).join(" "));
    await show(index, ranked, marks, list, more);
    out.appendChild(more);
    more.addEventListener("click", async () => {
      more.disabled = true;
      await show(index, ranked, marks, list, more);
      more.disabled = false;
      const next = list.children[list.childElementCount - Math.min(PAGE_SIZE, ranked.length)];
      if (next) next.querySelector("a").focus();
    });
    title.textContent = gettext("Search Results");
    summary.textContent = ranked.length
      ? ngettext(
          "Search finished, found one page matching the search query.",
          "Search finished, found ${resultCount} pages matching the search query.",
          ranked.length,
        ).replace("${resultCount}", ranked.length)
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
