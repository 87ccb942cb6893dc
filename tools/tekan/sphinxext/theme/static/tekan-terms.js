/* Tekan: glossary tooltips on the terms a page links to.
 *
 * Website only (the extension adds this file to HTML builds, never to the EPUB). The data, term id →
 * headword, pinyin, English term, abbreviation and the definition in the edition's language (a Chinese
 * edition's in its script), with that language's tag, is in the page itself: a JSON script element (#tekan-terms-data) in its head holding only the terms the page
 * links to, generated from glossary/terms.toml. Each linked term gets aria-describedby pointing at its tooltip
 * (role="tooltip"), so screen readers announce the term and its definition on focus.
 *
 * Mouse: hover shows, leaving hides (the tooltip itself can be hovered). Keyboard: focus shows, blur or
 * Escape hides. Touch: the first tap shows the tooltip, a second tap on the same term follows the link;
 * tapping elsewhere or the × closes it.
 */
(function () {
  "use strict";

  var data = null; // { terms: { id: {hw, py, en, abbr, def} }, lang, hwLang, labels: { close } }, read at init
  var TERM_HREF = /#term-([a-z0-9-]+)$/;
  var tips = {}; // term id → tooltip element
  var current = null; // { link, tip } shown now
  var showTimer = 0;
  var hideTimer = 0;
  var lastPointer = ""; // "mouse", "touch" or "pen": the input of the latest pointerdown
  var lastPointerAt = 0;
  var tapped = null; // the term a first tap opened: a second tap on it follows the link

  function termId(link) {
    var match = TERM_HREF.exec(link.getAttribute("href") || "");
    return match && Object.prototype.hasOwnProperty.call(data.terms, match[1]) ? match[1] : null;
  }

  function element(tag, className, text, lang) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    if (lang) node.lang = lang;
    return node;
  }

  function makeTip(id) {
    var term = data.terms[id];
    // The box holds the tooltip proper (what aria-describedby names) and, beside it, the close control.
    var tip = element("div", "tekan-tip");
    tip.hidden = true;
    var content = element("div", "tekan-tip-content");
    content.id = "tekan-tip-" + id;
    content.setAttribute("role", "tooltip");
    tip.appendChild(content);
    var head = element("p", "tekan-tip-head");
    // The headword is Chinese in every edition (the English edition's too): tagged with its script.
    head.appendChild(element("span", "tekan-tip-hw", term.hw, data.hwLang));
    head.appendChild(document.createTextNode(" "));
    head.appendChild(element("span", "tekan-tip-pinyin", term.py, "zh-Latn-pinyin"));
    head.appendChild(document.createTextNode(" "));
    head.appendChild(element("strong", "tekan-tip-en", term.en + (term.abbr ? " (" + term.abbr + ")" : ""), "en"));
    content.appendChild(head);
    // The definition in the edition's language (for a Chinese edition, in its script); the English term
    // stays in the head.
    content.appendChild(element("p", "tekan-tip-def", term.def, data.lang));
    // A touch affordance; keyboard users press Escape, so it stays out of the tab order.
    var close = element("button", "tekan-tip-close", "×");
    close.type = "button";
    close.tabIndex = -1;
    close.setAttribute("aria-hidden", "true");
    close.title = data.labels.close;
    close.addEventListener("click", function (event) {
      event.preventDefault();
      hide();
    });
    tip.appendChild(close);
    tip.addEventListener("mouseenter", function () {
      clearTimeout(hideTimer);
    });
    tip.addEventListener("mouseleave", scheduleHide);
    document.body.appendChild(tip);
    return tip;
  }

  // Below the term (all its lines: a term may wrap), else above it; where neither side has room (a phone's
  // short screen), on the roomier side, its height capped and scrolled, so the tooltip never covers the term.
  function place(link, tip) {
    var rects = link.getClientRects();
    if (!rects.length) rects = [link.getBoundingClientRect()];
    var top = Infinity;
    var bottom = -Infinity;
    Array.prototype.forEach.call(rects, function (rect) {
      top = Math.min(top, rect.top);
      bottom = Math.max(bottom, rect.bottom);
    });
    var width = document.documentElement.clientWidth;
    var height = window.innerHeight;
    tip.style.maxWidth = Math.min(352, width - 16) + "px";
    tip.style.maxHeight = "";
    tip.style.left = "0px";
    tip.style.top = "0px";
    var w = tip.offsetWidth;
    var h = tip.offsetHeight;
    var gap = 6;
    var roomBelow = height - bottom - gap - 8;
    var roomAbove = top - gap - 8;
    var above = h > roomBelow && (h <= roomAbove || roomAbove > roomBelow);
    var room = above ? roomAbove : roomBelow;
    if (h > room) {
      tip.style.maxHeight = Math.max(room, 48) + "px";
      h = tip.offsetHeight;
    }
    var left = Math.max(8, Math.min(rects[0].left, width - w - 8));
    var y = above ? top - h - gap : bottom + gap;
    tip.classList.toggle("tekan-tip-above", above);
    tip.style.left = left + window.scrollX + "px";
    tip.style.top = y + window.scrollY + "px";
  }

  function show(link) {
    clearTimeout(hideTimer);
    clearTimeout(showTimer);
    var id = termId(link);
    if (!id || !tips[id]) return;
    if (current && current.link === link && !current.tip.hidden) return;
    hide();
    var tip = tips[id];
    tip.hidden = false;
    place(link, tip);
    link.setAttribute("aria-expanded", "true");
    current = { link: link, tip: tip };
  }

  function hide() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    tapped = null;
    if (!current) return;
    current.tip.hidden = true;
    current.link.removeAttribute("aria-expanded");
    current = null;
  }

  function scheduleHide() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 250);
  }

  function linkOf(target) {
    var link = target && target.closest ? target.closest("a[aria-describedby^='tekan-tip-']") : null;
    return link;
  }

  function recentTouch() {
    return lastPointer !== "mouse" && lastPointer !== "" && Date.now() - lastPointerAt < 1500;
  }

  function readData() {
    var node = document.getElementById("tekan-terms-data");
    if (!node) return null;
    try {
      return JSON.parse(node.textContent);
    } catch (error) {
      return null;
    }
  }

  function init() {
    data = readData();
    if (!data || !data.terms) return; // a page that links to no term
    var links = document.querySelectorAll("a.reference.internal[href*='#term-']");
    Array.prototype.forEach.call(links, function (link) {
      var id = termId(link);
      if (!id) return;
      if (!tips[id]) tips[id] = makeTip(id);
      link.setAttribute("aria-describedby", "tekan-tip-" + id);
      link.classList.add("tekan-term-link");
    });

    document.addEventListener("pointerdown", function (event) {
      lastPointer = event.pointerType || "mouse";
      lastPointerAt = Date.now();
      if (current && !current.tip.contains(event.target) && linkOf(event.target) !== current.link) hide();
    });
    document.addEventListener("mouseover", function (event) {
      var link = linkOf(event.target);
      if (!link || recentTouch()) return;
      clearTimeout(hideTimer);
      clearTimeout(showTimer);
      showTimer = setTimeout(function () {
        show(link);
      }, 120);
    });
    document.addEventListener("mouseout", function (event) {
      var link = linkOf(event.target);
      if (!link || recentTouch()) return;
      clearTimeout(showTimer);
      if (current && current.tip.contains(event.relatedTarget)) return;
      scheduleHide();
    });
    document.addEventListener("focusin", function (event) {
      var link = linkOf(event.target);
      if (link && !recentTouch()) show(link); // a tap focuses the link too: the click decides then
    });
    document.addEventListener("focusout", function (event) {
      if (current && linkOf(event.target) === current.link && !recentTouch()) hide();
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" || event.key === "Esc") {
        if (current) {
          hide();
          event.stopPropagation();
        }
      } else {
        lastPointer = ""; // Enter on a focused term follows it at once
      }
    });
    document.addEventListener("click", function (event) {
      var link = linkOf(event.target);
      if (!link || !recentTouch()) return;
      if (tapped === link && current && current.link === link) return; // second tap: follow
      event.preventDefault();
      show(link);
      tapped = link;
    });
    window.addEventListener("resize", hide);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
