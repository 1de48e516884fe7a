// gloss reader script: mention previews and site search. No framework, no
// network: cards are made from the page's cast list and the search index is
// script files next to the pages, so both work from file:// too. Without
// JavaScript every mention is still a plain link.
(function () {
  "use strict";
  var root = document.documentElement.getAttribute("data-root") || "";

  // ---- Previews -----------------------------------------------------------
  // An article's cast list is its preview cards: each item's link, summary
  // and data attributes, by entity id.
  var cards = {};
  document.querySelectorAll(".cast li[data-entity]").forEach(function (item) {
    var link = item.querySelector("a");
    var group = item.closest("[data-kind]");
    var summary = item.querySelector(".summary");
    if (!link) return;
    cards[item.getAttribute("data-entity")] = {
      name: link.textContent,
      url: link.getAttribute("href"),
      kind: group ? group.getAttribute("data-kind-name") : "",
      kindId: group ? group.getAttribute("data-kind") : "",
      fact: item.getAttribute("data-fact"),
      summary: summary ? summary.textContent : "",
      image: item.hasAttribute("data-image")
        ? { src: item.getAttribute("data-image"), alt: item.getAttribute("data-image-alt") || "" } : null,
    };
  });
  var preview = null;
  var owner = null;
  var hideTimer = 0;
  var showTimer = 0;

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text) e.textContent = text;
    return e;
  }

  function buildPreview(ids) {
    var box = el("div", "preview");
    box.id = "gloss-preview";
    box.setAttribute("role", "tooltip");
    ids.forEach(function (id) {
      var card = cards[id];
      if (!card) return;
      var section = el("div", "preview-entity preview-" + card.kindId);
      if (card.image) {
        // Beside the name, which says who it is: no text of its own.
        var image = el("img", "preview-image");
        image.src = card.image.src;
        image.alt = "";
        section.appendChild(image);
      }
      var name = el("a", "preview-name", card.name);
      name.href = card.url;
      section.appendChild(name);
      var kind = card.kind + (card.fact ? " · " + card.fact : "");
      section.appendChild(el("p", "preview-kind", kind));
      if (card.summary) section.appendChild(el("p", "preview-summary", card.summary));
      box.appendChild(section);
    });
    box.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
    box.addEventListener("mouseleave", scheduleHide);
    box.addEventListener("focusout", function (e) {
      if (!box.contains(e.relatedTarget) && e.relatedTarget !== owner) scheduleHide();
    });
    return box;
  }

  // Below the mention's line, or above it when there is no room below: the
  // card never covers the line being read. On a narrow screen it is a sheet
  // across the window's bottom, or its top when the mention is in the lower
  // half, at most 45% high: it covers neither the mention nor the lines
  // next to it, and changes sides as the page scrolls.
  var narrow = window.matchMedia("(max-width: 40rem)");
  function place(box, anchor) {
    var rect = anchor.getBoundingClientRect();
    box.classList.toggle("preview-sheet", narrow.matches);
    if (narrow.matches) {
      box.classList.toggle("preview-sheet-top", rect.top + rect.height / 2 > window.innerHeight / 2);
      box.style.left = box.style.top = box.style.width = "";
      return;
    }
    var width = Math.min(320, document.documentElement.clientWidth - 16);
    box.style.width = width + "px";
    var left = Math.max(8, Math.min(rect.left, document.documentElement.clientWidth - width - 8));
    box.style.left = left + window.scrollX + "px";
    var below = rect.bottom + 8;
    var height = box.offsetHeight;
    var top = below + height > window.innerHeight && rect.top - height - 8 > 0 ? rect.top - height - 8 : below;
    box.style.top = top + window.scrollY + "px";
  }

  function show(mention) {
    clearTimeout(hideTimer);
    if (owner === mention) return;
    hide();
    var ids = (mention.getAttribute("data-entity") || "").split(" ").filter(function (id) { return cards[id]; });
    if (!ids.length) return;
    preview = buildPreview(ids);
    // Inside the main landmark, so that no content sits outside a landmark.
    (mention.closest("main") || document.body).appendChild(preview);
    place(preview, mention);
    owner = mention;
    mention.setAttribute("aria-describedby", "gloss-preview");
  }

  function hide() {
    clearTimeout(hideTimer);
    clearTimeout(showTimer);
    if (preview) preview.remove();
    if (owner) owner.removeAttribute("aria-describedby");
    preview = null;
    owner = null;
  }

  function scheduleHide() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 200);
  }

  document.querySelectorAll("a.mention").forEach(function (mention) {
    mention.addEventListener("mouseenter", function () {
      clearTimeout(showTimer);
      showTimer = setTimeout(function () { show(mention); }, 200);
    });
    mention.addEventListener("mouseleave", function () { clearTimeout(showTimer); scheduleHide(); });
    mention.addEventListener("focus", function () { show(mention); });
    mention.addEventListener("blur", function (e) {
      if (!(preview && preview.contains(e.relatedTarget))) scheduleHide();
    });
    // On touch screens the first tap shows the card, the second follows the
    // link. Whether the card was open is noted at pointerdown: by the click,
    // the tap's own focus event has already opened it.
    var tap = "";
    mention.addEventListener("pointerdown", function (e) {
      tap = e.pointerType === "touch" ? (owner === mention ? "second" : "first") : "";
    });
    mention.addEventListener("click", function (e) {
      if (tap === "first") {
        e.preventDefault();
        show(mention);
      }
      tap = "";
    });
  });

  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && preview) {
      var back = owner;
      hide();
      if (back) back.focus({ preventScroll: true });
    }
  });
  document.addEventListener("pointerdown", function (e) {
    if (preview && !preview.contains(e.target) && e.target !== owner) hide();
  });
  window.addEventListener("resize", hide);
  window.addEventListener("scroll", function () {
    if (preview && owner && narrow.matches) place(preview, owner);
  }, { passive: true });

  // ---- Mention strips -----------------------------------------------------
  // An entity page's strip has a tick where each mention falls in an
  // article (`--at`, in the order of the list of mentions after it). Here it
  // is cut into parts, each a link to the first mention in it: the list
  // holds the links, so the page need not repeat them.
  document.querySelectorAll(".strip").forEach(function (strip) {
    var list = strip.nextElementSibling;
    if (!list || !list.classList.contains("mention-list")) return;
    var links = list.querySelectorAll("li > a");
    var ticks = Array.prototype.slice.call(strip.querySelectorAll("i"));
    var at = ticks.map(function (tick) { return parseFloat(tick.style.getPropertyValue("--at")) || 0; });
    stripParts(at).forEach(function (part) {
      var link = links[part.first];
      if (!link) return;
      var cluster = el("a", "cluster");
      cluster.href = link.getAttribute("href");
      cluster.tabIndex = -1;
      cluster.style.setProperty("inset-inline-start", part.start + "%");
      for (var i = part.first; i < part.first + part.count; i++) {
        ticks[i].style.setProperty("--at", part.ticks[i - part.first] + "%");
        cluster.appendChild(ticks[i]);
      }
      strip.appendChild(cluster);
    });
  });

  // ---- Strip parts ---------------------------------------------------------
  // Twelve equal parts: a strip 288 px wide (a 320 px screen) gives each
  // 24 px, the least a target may be (WCAG 2.2, 2.5.8), however many
  // mentions an article has and however close they are. For ticks at `at`
  // (percent of the strip, in order): each part holding any, where it
  // starts, its first tick and how many, and where each falls within it.
  function stripParts(at) {
    var PARTS = 12;
    var width = 100 / PARTS;
    var parts = [];
    at.forEach(function (x, i) {
      var n = Math.min(PARTS - 1, Math.floor(x / width));
      var last = parts[parts.length - 1];
      if (!last || last.n !== n) {
        last = { n: n, start: Math.round(n * width * 1000) / 1000, first: i, count: 0, ticks: [] };
        parts.push(last);
      }
      last.count++;
      last.ticks.push(Math.round(Math.min(100, Math.max(0, (x - n * width) / width * 100)) * 10) / 10);
    });
    return parts;
  }
  // ---- End of strip parts --------------------------------------------------

  // ---- Search -------------------------------------------------------------
  var toggle = document.getElementById("search-toggle");
  var dialog = document.getElementById("search-dialog");
  if (!toggle || !dialog || typeof dialog.showModal !== "function") return;
  toggle.hidden = false;
  var input = dialog.querySelector("input");
  var list = dialog.querySelector("[role=listbox]");
  var status = dialog.querySelector(".search-status");
  var results = [];
  var active = -1;

  // ---- Search folding: as src/render/search.rs folds the index ----------
  // Lower case, diacritics dropped (accents, Hebrew points, Arabic harakat;
  // not Indic vowel signs or kana voicing marks), letters such as ł ø ß
  // spelled plainly; tests/data/search-folding.json holds both to it.
  var DIACRITICS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed]/g;
  var PLAIN = { "ß": "ss", "þ": "th", "æ": "ae", "œ": "oe", "ł": "l", "ŀ": "l", "ø": "o", "đ": "d", "ð": "d",
    "ı": "i", "ħ": "h", "ŧ": "t", "ſ": "s", "ς": "σ", "\u2018": "'", "\u2019": "'" };
  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(DIACRITICS, "").normalize("NFC")
      .replace(/[ßþæœłŀøđðıħŧſς\u2018\u2019]/g, function (c) { return PLAIN[c]; });
  }

  // Scripts written without spaces (Han, kana, Thai, Lao, Khmer, Myanmar):
  // the same ranges as `unspaced` in src/matcher.rs.
  var UNSPACED_RANGES = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff\u3005-\u3007\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ua9e0-\ua9ff\uaa60-\uaa7f\uff66-\uff9f\u{20000}-\u{3ffff}";
  var UNSPACED = new RegExp("[" + UNSPACED_RANGES + "]", "u");
  var RUNS = new RegExp("[" + UNSPACED_RANGES + "]+|[^" + UNSPACED_RANGES + "]+", "gu");

  // The words of a folded text, as search-index.js lists them: runs of
  // letters, numbers and marks; in a script without spaces, each pair of
  // characters and the last character alone.
  function words(folded) {
    var out = [];
    folded.split(/[^\p{Alphabetic}\p{N}\p{M}]+/u).forEach(function (word) {
      var runs = word.match(RUNS) || [];
      runs.forEach(function (run) {
        if (!UNSPACED.test(run)) return out.push(run);
        var chars = Array.from(run);
        for (var i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
        out.push(chars[chars.length - 1]);
      });
    });
    return out;
  }
  // ---- End of search folding ---------------------------------------------

  // ---- Counting: a count in the page's language --------------------------
  // A string with one form per CLDR plural category (`{one: …, few: …,
  // other: …}`, as the search index carries it from the strings table), or
  // one text for every count: the form for `n` in `lang` (`other` when the
  // table has no form of n's category), `{n}` in the language's digits.
  function counted(forms, n, lang) {
    var category = "other";
    var number = String(n);
    try {
      category = new Intl.PluralRules(lang || undefined).select(n);
      number = new Intl.NumberFormat(lang || undefined, { useGrouping: "min2" }).format(n);
    } catch (e) {
      // A tag the browser cannot read: `other`, in plain digits.
    }
    var form = typeof forms === "string" ? forms : forms[category] || forms.other;
    return form.replace("{n}", number);
  }
  // ---- End of counting ---------------------------------------------------

  // search-index.js holds the entities, the articles and the text's words
  // with the chunks of text (search/text-N.js) that hold each; a search
  // loads only the chunks that can match, one at a time.
  var index = null;
  var chunks = window.glossSearchText = window.glossSearchText || [];
  var MAX_RESULTS = 30;

  function loadScript(src, then, failed) {
    var script = document.createElement("script");
    script.src = root + src;
    script.onload = then;
    script.onerror = failed;
    document.head.appendChild(script);
  }

  function loadIndex(then) {
    if (index) return then();
    loadScript("search-index.js", function () {
      index = window.glossSearch;
      index.e.forEach(function (entry) {
        entry.f = fold(entry.t + " " + entry.a + " " + entry.s);
        entry.n = fold(entry.t);
      });
      then();
    }, function () { status.textContent = status.getAttribute("data-failed"); });
  }

  // The paragraphs of chunk n, ready to search; loaded on first use.
  function loadChunk(n, then) {
    if (chunks[n] && chunks[n].ready) return then();
    loadScript("search/text-" + n + ".js", function () {
      chunks[n].forEach(function (entry) {
        // A paragraph names its article by position, not by repeating it,
        // and the mention it links to by anchor.
        var article = index.e[entry.p];
        entry.t = article.t;
        entry.k = "Text";
        entry.a = "";
        entry.u = article.u + (entry.h ? "#" + entry.h : "");
        entry.n = article.n;
        entry.w = " " + words(fold(entry.t + " " + entry.s)).join(" ");
      });
      chunks[n].ready = true;
      then();
    }, function () { status.textContent = status.getAttribute("data-part-failed"); });
  }

  // The chunks holding a word that starts with each of `terms`, in order.
  function candidates(terms) {
    var hex = function (h, n) {
      var digit = h.length - 1 - Math.floor(n / 4);
      return digit >= 0 && (parseInt(h[digit], 16) >> (n % 4)) & 1;
    };
    var found = [];
    for (var n = 0; n < index.c; n++) found.push(n);
    terms.forEach(function (term) {
      // Binary search for the first word not before `term`.
      var lo = 0, hi = index.v.length;
      while (lo < hi) {
        var mid = (lo + hi) >> 1;
        if (index.v[mid] < term) lo = mid + 1; else hi = mid;
      }
      var masks = [];
      for (var i = lo; i < index.v.length && index.v[i].lastIndexOf(term, 0) === 0; i++) masks.push(index.m[i]);
      found = found.filter(function (n) { return masks.some(function (m) { return hex(m, n); }); });
    });
    return found;
  }

  function score(entry, terms) {
    var s = entry.k === "Text" ? 1 : 3;
    if (entry.n.indexOf(terms[0]) === 0) s += 4;
    else if (entry.n.indexOf(terms[0]) >= 0) s += 2;
    return s;
  }

  // Names, aliases, titles and summaries match anywhere; the text matches
  // where a word starts. Calls `show(results, note)` with what is found so
  // far, again as each chunk of text arrives, and last with the note empty,
  // or saying that some chunks were left unread because enough was found.
  var generation = 0;
  function search(query, show) {
    var current = ++generation;
    var terms = fold(query).split(/\s+/).filter(Boolean);
    if (!terms.length || !index) return show([], "");
    var found = [];
    index.e.forEach(function (entry) {
      if (terms.every(function (t) { return entry.f.indexOf(t) >= 0; })) found.push(entry);
    });
    var textTerms = words(terms.join(" "));
    var pending = textTerms.length ? candidates(textTerms) : [];
    var text = [];
    function results() {
      var all = found.concat(text).map(function (e) { return { entry: e, score: score(e, terms) }; });
      all.sort(function (a, b) { return b.score - a.score; });
      return all.slice(0, MAX_RESULTS).map(function (f) { return f.entry; });
    }
    (function next() {
      if (current !== generation) return; // a newer search took over
      if (!pending.length || text.length >= MAX_RESULTS) {
        return show(results(), pending.length ? index.t.search_more_in_text : "");
      }
      var n = pending.shift();
      loadChunk(n, function () {
        chunks[n].forEach(function (entry) {
          if (textTerms.every(function (t) { return entry.w.indexOf(" " + t) >= 0; })) text.push(entry);
        });
        if (current === generation && pending.length) show(results(), index.t.search_searching);
        next();
      });
    })();
  }

  function snippet(text, query) {
    var at = fold(text).indexOf(fold(query).split(/\s+/)[0] || "");
    if (text.length <= 160) return text;
    var start = Math.max(0, at - 60);
    return (start > 0 ? "…" : "") + text.slice(start, start + 160) + "…";
  }

  function render() {
    list.textContent = "";
    results.forEach(function (entry, i) {
      var option = el("li", "search-result");
      option.id = "search-result-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", i === active ? "true" : "false");
      // An option holds text only (no link: an option is itself the
      // control); choosing it, by click or Enter, opens its page.
      option.appendChild(el("span", "search-title", entry.t));
      option.appendChild(el("span", "search-kind", entry.k === "Text" ? index.t.search_in_text : entry.k));
      var detail = entry.k === "Text" ? snippet(entry.s, input.value) : entry.s;
      if (detail) option.appendChild(el("span", "search-detail", detail));
      option.addEventListener("click", function () { location.href = root + entry.u; });
      list.appendChild(option);
    });
    if (active >= 0) input.setAttribute("aria-activedescendant", "search-result-" + active);
    else input.removeAttribute("aria-activedescendant");
    input.setAttribute("aria-expanded", results.length ? "true" : "false");
    // The search's words come with its index, from the strings table;
    // until it is loaded there is nothing to say.
    if (!index) return;
    status.textContent = input.value.trim()
      ? counted(index.t.search_results, results.length, document.documentElement.lang) + note
      : index.t.search_prompt;
  }

  var note = "";
  function update() {
    search(input.value, function (found, more) {
      var same = found.length === results.length && found.every(function (e, i) { return e === results[i]; });
      results = found;
      note = more;
      if (!same || active < 0) active = results.length ? 0 : -1;
      render();
    });
  }

  function open() {
    hide();
    if (!dialog.open) dialog.showModal();
    input.focus();
    input.select();
    loadIndex(update);
  }

  toggle.addEventListener("click", open);
  dialog.querySelector(".search-close").addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("click", function (e) { if (e.target === dialog) dialog.close(); });
  input.addEventListener("input", update);
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (!results.length) return;
      active = (active + (e.key === "ArrowDown" ? 1 : results.length - 1)) % results.length;
      render();
      var current = document.getElementById("search-result-" + active);
      if (current) current.scrollIntoView({ block: "nearest" });
    } else if (e.key === "Enter" && active >= 0) {
      e.preventDefault();
      location.href = root + results[active].u;
    }
  });
  document.addEventListener("keydown", function (e) {
    var typing = /^(input|textarea|select)$/i.test(e.target.tagName) || e.target.isContentEditable;
    if ((e.key === "/" && !typing) || ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "k")) {
      e.preventDefault();
      open();
    }
  });
})();
