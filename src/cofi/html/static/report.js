/* cofi report: sort any table by a column, filter the long ones; unpack the packed pages of
   a large ledger. Plain JavaScript, no library, nothing from the network; every page of a
   small ledger reads the same without it. */
(function () {
  "use strict";

  // Every user-visible string of this script, in English; the page gives them in its
  // language (data-text on <html>, written by cofi.html.markup from the gettext catalogue).
  var TEXT = {
    sortBy: "Sort by {column}",
    search: "Filter rows",
    any: "All",
    yes: "yes",
    no: "no",
    shown: "{shown} of {total} rows shown; totals are for all rows",
  };
  try {
    var given = JSON.parse(document.documentElement.getAttribute("data-text") || "{}");
    Object.keys(TEXT).forEach(function (key) {
      if (typeof given[key] === "string" && given[key]) TEXT[key] = given[key];
    });
  } catch (e) { /* a page without its words keeps the English */ }
  var NUMERIC = { money: true, int: true, ratio: true };

  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }

  function columnIndex(th) {
    return Array.prototype.indexOf.call(th.parentNode.children, th);
  }

  function cellKey(row, index) {
    var cell = row.children[index];
    if (!cell) return "";
    return cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
  }

  function sortBy(table, th) {
    var index = columnIndex(th);
    var numeric = NUMERIC[th.getAttribute("data-kind")] === true;
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (row, i) { row.setAttribute("data-order", row.getAttribute("data-order") || i); });
    rows.sort(function (a, b) {
      var x = cellKey(a, index), y = cellKey(b, index), d;
      if (numeric) d = (parseFloat(x) || 0) - (parseFloat(y) || 0);
      else d = x.localeCompare(y, undefined, { numeric: true, sensitivity: "base" });
      if (!ascending) d = -d;
      return d || a.getAttribute("data-order") - b.getAttribute("data-order");
    });
    rows.forEach(function (row) { body.appendChild(row); });
    table.querySelectorAll("thead th[aria-sort]").forEach(function (other) {
      other.setAttribute("aria-sort", "none");
    });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  function makeSortable(table) {
    table.querySelectorAll("thead th").forEach(function (th) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      button.setAttribute("title", format(TEXT.sortBy, { column: th.textContent }));
      th.textContent = "";
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () { sortBy(table, th); });
    });
    table.setAttribute("data-sort-ready", "true");
  }

  function control(labelText, field) {
    var label = document.createElement("label");
    label.appendChild(document.createTextNode(labelText));
    label.appendChild(field);
    return label;
  }

  function facetLabel(value, kind) {
    if (kind === "bool") return value === "true" ? TEXT.yes : TEXT.no;
    return value;
  }

  function makeFilterable(table) {
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var box = document.createElement("div");
    box.className = "filters";
    var search = document.createElement("input");
    search.type = "search";
    box.appendChild(control(TEXT.search, search));
    var facets = [];
    table.querySelectorAll("thead th[data-facet]").forEach(function (th) {
      var index = columnIndex(th), kind = th.getAttribute("data-kind");
      var values = {};
      rows.forEach(function (row) { values[cellKey(row, index)] = true; });
      var select = document.createElement("select");
      select.appendChild(new Option(TEXT.any, ""));
      Object.keys(values).sort().forEach(function (v) {
        select.appendChild(new Option(facetLabel(v, kind), v));
      });
      box.appendChild(control(th.textContent, select));
      facets.push({ index: index, select: select });
    });
    var count = document.createElement("output");
    count.setAttribute("aria-live", "polite");
    box.appendChild(count);

    function apply() {
      var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var text = row.textContent.toLowerCase();
        var ok = words.every(function (w) { return text.indexOf(w) !== -1; }) &&
          facets.every(function (f) { return !f.select.value || cellKey(row, f.index) === f.select.value; });
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      count.value = format(TEXT.shown, { shown: shown, total: rows.length });
      table.setAttribute("data-rows-shown", String(shown));
    }
    box.addEventListener("input", apply);
    box.addEventListener("change", apply);
    var wrap = table.closest(".table-wrap") || table;
    wrap.parentNode.insertBefore(box, wrap);
    apply();
    table.setAttribute("data-filter-ready", "true");
  }

  // A large ledger's pages hold their tables and explanations packed (cofi.html.packed):
  // deflated and base64-encoded in a data block, which is unpacked here, in the page, so
  // that it works from disk with nothing fetched.
  function inflate(data) {
    var text = atob(data.replace(/\s+/g, ""));
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i += 1) bytes[i] = text.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Response(stream).text();
  }

  function words(block) {
    try { return JSON.parse(block.getAttribute("data-text") || "{}"); } catch (e) { return {}; }
  }

  function note(place, text) {
    var p = document.createElement("p");
    p.className = "note";
    p.textContent = text;
    place.appendChild(p);
  }

  function element(tag, attributes, text) {
    var e = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (key) { e.setAttribute(key, attributes[key]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // A contribution's explanation from its data (cofi.html.explanation.Said, whose fields
  // come in this order), as the elements cofi.html.explanation.article writes for a small
  // ledger: every text is set as text, never read as HTML.
  var SAID = ["id", "lead", "date", "day", "who", "contributor", "common", "commonName", "need",
    "amount", "kind", "pledge", "reference", "note", "file", "confirm", "sections"];

  function explanation(data, page) {
    var x = {};
    SAID.forEach(function (key, i) { x[key] = data[i]; });
    var text = page.text, anchor = "c-" + x.id + "--";
    var article = element("article", { id: "c-" + x.id });
    article.appendChild(element("h2", {}, format(text.contribution, { id: x.id })));
    article.appendChild(element("p", { class: "lead" }, x.lead));
    var facts = element("dl", { class: "facts" });
    function fact(key, dd) {
      facts.appendChild(element("dt", {}, text[key]));
      facts.appendChild(dd);
    }
    var dd = element("dd");
    dd.appendChild(element("time", { datetime: x.date }, x.day));
    fact("date", dd);
    dd = element("dd", {}, x.who && x.who !== x.contributor ? x.who + " " : undefined);
    dd.appendChild(element("span", { class: "id" }, x.contributor));
    fact("contributor", dd);
    dd = element("dd");
    dd.appendChild(element("a", { href: "../commons/" + encodeURIComponent(x.common) + ".html" },
      x.commonName));
    fact("common", dd);
    if (x.need) fact("need", element("dd", {}, x.need));
    dd = element("dd");
    dd.appendChild(element("span", { class: "num" }, x.amount));
    fact("amount", dd);
    fact("kind", element("dd", {}, x.kind));
    ["pledge", "reference", "note"].forEach(function (key) {
      if (x[key]) fact(key, element("dd", {}, x[key]));
    });
    dd = element("dd");
    dd.appendChild(element("code", {}, x.file));
    fact("file", dd);
    article.appendChild(facts);
    if (x.confirm) {
      var act = element("p", { class: "act" });
      act.appendChild(element("a", {
        href: "../receipt.html?contribution=" + encodeURIComponent(x.id),
      }, text.receipt));
      article.appendChild(act);
    }
    // A section gives the place of each of its sentences in the page's list of them.
    function lines(into, places, tag, attributes) {
      places.forEach(function (at) {
        into.appendChild(element(tag, attributes, page.sentences[at]));
      });
    }
    if (x.sections.length) article.appendChild(element("h3", { class: "sub" }, text.under));
    x.sections.forEach(function (said, i) {
      var key = anchor + "programme-" + page.programmes.ids[i];
      var section = element("section", { id: key, "aria-labelledby": key + "-title" });
      section.appendChild(element("h3", { id: key + "-title" }, page.programmes.titles[i]));
      if (said[0].length) {
        var steps = element("ol", { class: "steps" });
        lines(steps, said[0], "li", {});
        section.appendChild(steps);
      }
      lines(section, said[1], "p", { class: "result" });
      lines(section, said[2], "p", { class: "note" });
      article.appendChild(section);
    });
    return article;
  }

  // A month's explanations: the one the address names (#c-<id>, or #c-<id>--programme-<p>
  // at that programme), else the list of them all.
  function showExplanations(place, page, text) {
    var articles = page.articles;
    function show() {
      var hash = decodeURIComponent(location.hash.slice(1));
      var id = hash.indexOf("c-") === 0 ? hash.slice(2).split("--programme-")[0] : "";
      place.textContent = "";
      if (id && Object.prototype.hasOwnProperty.call(articles, id)) {
        place.appendChild(explanation(articles[id], page));
        var target = document.getElementById(hash);
        if (target) target.scrollIntoView();
        return;
      }
      if (id) note(place, format(text.missing || "", { id: id }));
      var title = document.createElement("h2");
      title.textContent = text.pick || "";
      var list = document.createElement("ul");
      list.className = "contributions";
      Object.keys(articles).forEach(function (key) {
        var a = document.createElement("a");
        a.href = "#" + encodeURIComponent("c-" + key);
        a.textContent = key;
        var li = document.createElement("li");
        li.appendChild(a);
        list.appendChild(li);
      });
      place.appendChild(title);
      place.appendChild(list);
    }
    window.addEventListener("hashchange", show);
    show();
  }

  function unpack(block) {
    var text = words(block);
    var place = document.getElementById(block.getAttribute("data-into"));
    if (!place) return Promise.resolve();
    if (typeof DecompressionStream === "undefined") {
      note(place, text.old || "");
      return Promise.resolve();
    }
    return inflate(block.textContent).then(function (unpacked) {
      if (block.getAttribute("data-kind") === "explanations") {
        showExplanations(place, JSON.parse(unpacked), text);
      } else {
        place.innerHTML = unpacked;
      }
    });
  }

  function start() {
    var blocks = document.querySelectorAll('script[type="application/x-cofi-deflate"]');
    Promise.all(Array.prototype.map.call(blocks, unpack)).then(function () {
      document.querySelectorAll("table[data-sortable]").forEach(makeSortable);
      document.querySelectorAll("table[data-filterable]").forEach(makeFilterable);
      document.documentElement.setAttribute("data-js", "ready");
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
