/* cofi report: the forms that prepare a new ledger file (declare.html, receipt.html).
   Plain JavaScript, no library, nothing from the network. The page hands over, as JSON
   (#cofi-form), the ledger's choices and cofi check's own words, in the page's language;
   this script checks each field as `cofi check` would check the one file, writes it as
   `cofi new` would (cofi.newrecord.render), and builds the forge's "new file" link. */
(function () {
  "use strict";
  var node = document.getElementById("cofi-form");
  var form = document.getElementById("entry-form");
  if (!node || !form) return;
  var data = JSON.parse(node.textContent);
  var M = data.messages;
  var MONEY = /^(?:0|[1-9][0-9]*)(?:\.[0-9]{1,2})?$/;
  var COMMA = /^[0-9]+,[0-9]{1,2}$/; // cofi new's French decimal comma
  var ISO = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
  var FRENCH = /^([0-9]{1,2})\/([0-9]{1,2})\/([0-9]{4})$/;
  var UNSAFE = new RegExp("[" + data.unsafe + "]", "u");
  var BIDI = new RegExp("[" + data.bidi + "]", "u");
  var FORMAT = new RegExp("[" + data.formatChars + "]", "u");
  var QUOTED = { reference: true, note: true }; // cofi.newrecord._FREE_TEXT

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  // A problem as cofi check prints it: [code, message, hint].
  function problem(key, values) {
    var said = M[key];
    return { code: said[0], message: fill(said[1], values), hint: fill(said[2], values) };
  }

  // cofi.fmt.day: ISO in English, "1er mars 2026" in French.
  function day(iso) {
    if (!data.months) return iso;
    var p = iso.split("-"), d = parseInt(p[2], 10);
    return (d === 1 ? "1er" : String(d)) + " " + data.months[parseInt(p[1], 10) - 1] + " " + p[0];
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function today() {
    var t = new Date();
    return t.getFullYear() + "-" + pad(t.getMonth() + 1) + "-" + pad(t.getDate());
  }

  // Each check returns {value} (as the file will hold it) or {problem}.
  function checkDate(text, after) {
    text = text.trim();
    var fr = FRENCH.exec(text);
    if (fr) text = fr[3] + "-" + pad(+fr[2]) + "-" + pad(+fr[1]);
    if (!ISO.test(text)) return { problem: problem("date_format", { value: text }) };
    var y = +text.slice(0, 4), m = +text.slice(5, 7), d = +text.slice(8, 10);
    var real = new Date(Date.UTC(2000, m - 1, d));
    if (m < 1 || m > 12 || real.getUTCMonth() !== m - 1 || (m === 2 && d === 29 && !leap(y))) {
      return { problem: problem("date_calendar", { value: text }) };
    }
    if (y < data.firstYear || y > data.lastYear) {
      return { problem: problem("date_range", { value: text }) };
    }
    var now = today();
    if (text > now) return { problem: problem("future", { date: day(text), today: day(now) }) };
    if (after && text < after) {
      return { problem: problem("early", { date: day(text), target_date: day(after) }) };
    }
    return { value: text };
  }

  function leap(y) { return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0; }

  function checkAmount(text) {
    text = text.trim();
    if (data.comma && COMMA.test(text)) text = text.replace(",", ".");
    if (!MONEY.test(text)) return { problem: problem("amount_format", { value: text }) };
    if (text.split(".")[0].length > data.digits) {
      return { problem: problem("amount_large", { value: text }) };
    }
    if (/^0(\.0+)?$/.test(text)) return { problem: problem("amount_zero", { value: text }) };
    return { value: text };
  }

  // cofi.model.parse_text: no control, line break (but in a note), direction or
  // invisible formatting character; positions count characters, as Python does.
  function checkText(text, multiline) {
    var chars = Array.from(text);
    for (var i = 0; i < chars.length; i++) {
      var ch = chars[i];
      if (!UNSAFE.test(ch) || (multiline && (ch === "\n" || ch === "\t"))) continue;
      var code = ch.codePointAt(0).toString(16).toUpperCase();
      while (code.length < 4) code = "0" + code;
      var key = ch === "\n" || ch === "\t" ? "line" : BIDI.test(ch) ? "bidi" : FORMAT.test(ch) ? "format" : "control";
      return { problem: problem(key, { position: i + 1, code: code }) };
    }
    return { value: text };
  }

  function control(name) { return form.elements.namedItem(name); }

  function value(name) {
    var c = control(name);
    return c && !c.disabled ? c.value : "";
  }

  function chosen(name) {
    var c = control(name);
    return c && c.selectedIndex >= 0 ? c.options[c.selectedIndex] : null;
  }

  // What the file will hold, field by field, and the problems of the fields.
  function read() {
    var fields = {}, problems = {};
    var after = null;
    if (data.kind === "receipt") {
      var picked = chosen("contribution");
      after = picked && picked.value ? picked.getAttribute("data-date") : null;
    }
    Array.prototype.forEach.call(form.querySelectorAll("[data-field]"), function (box) {
      var name = box.getAttribute("data-field");
      var c = control(name);
      var text = value(name);
      if (!text.trim()) {
        if (c.required) problems[name] = { code: "", message: data.text.required, hint: "" };
        return;
      }
      var got = name === "date" ? checkDate(text, after)
        : name === "amount" ? checkAmount(text)
        : name === "reference" ? checkText(text, false)
        : name === "note" ? checkText(text, true)
        : { value: text };
      if (got.problem) problems[name] = got.problem;
      else if (!(name === "kind" && got.value === "money")) fields[name] = got.value;
    });
    return { fields: fields, problems: problems };
  }

  function show(name, said) {
    var c = control(name), error = document.getElementById("f-" + name + "-error");
    if (!c || !error) return;
    if (said) {
      error.textContent = "";
      var line = document.createElement("span");
      line.className = "message";
      line.textContent = (said.code ? said.code + " " : "") + said.message;
      error.appendChild(line);
      if (said.hint) {
        var hint = document.createElement("span");
        hint.className = "hint";
        hint.textContent = said.hint;
        error.appendChild(hint);
      }
      error.hidden = false;
      c.setAttribute("aria-invalid", "true");
    } else {
      error.hidden = true;
      error.textContent = "";
      c.removeAttribute("aria-invalid");
    }
  }

  // cofi.newrecord.slug
  function slug(parts) {
    var text = parts.filter(Boolean).join("-").toLowerCase();
    text = text.replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").replace(/-{2,}/g, "-");
    return text.slice(0, 64).replace(/-+$/, "") || "entry";
  }

  // cofi new: the kind's pattern ("{date}-{contributor}-{common}") filled in, as a slug.
  function stem(fields) {
    var year = (fields.date || "").slice(0, 4);
    var parts = [data.stem.replace(/\{(\w+)\}/g, function (whole, key) {
      return key === "year" ? year : fields[key] || "";
    })];
    var id = slug(parts);
    if (!data.taken) return id;
    var taken = new Set(data.taken), candidate = id, n = 1;
    while (taken.has(candidate)) {
      n += 1;
      candidate = id.slice(0, 64 - String(n).length - 1).replace(/-+$/, "") + "-" + n;
    }
    return candidate;
  }

  // cofi.newrecord.render: the schema comment, then `key: value` lines in the kind's order.
  function render(fields, depth) {
    var lines = ["# yaml-language-server: $schema=" + "../".repeat(depth) + "schemas/" + data.kind + ".json\n"];
    data.fields.forEach(function (key) {
      var v = fields[key];
      if (v === undefined || v === "") return;
      lines.push(key + ": " + (QUOTED[key] ? JSON.stringify(v) : v) + "\n");
    });
    return lines.join("");
  }

  function encodePath(path) {
    return path.split("/").map(encodeURIComponent).join("/");
  }

  // The forge's page for a new file with its name and content filled in (docs/declare.md).
  function link(forge, directory, name, content) {
    var shape = {
      github: ["new", "filename", "value"],
      gitlab: ["-/new", "file_name", "content"],
      gitea: ["_new", "filename", "value"],
    }[forge.software];
    return forge.repository + "/" + shape[0] + "/" + encodePath(forge.branch + "/" + directory) +
      "?" + shape[1] + "=" + encodeURIComponent(name) + "&" + shape[2] + "=" + encodeURIComponent(content);
  }

  function prepare(fields) {
    var id = stem(fields);
    var base = data.folder + "/" + fields.date.slice(0, 4);
    var path = base + "/" + id + ".yaml";
    var text = render(fields, base.split("/").length);
    var forge = data.forge;
    var inRepo = forge && forge.folder ? forge.folder + "/" + base : base;
    var out = document.getElementById("out");
    document.getElementById("out-path").textContent = inRepo + "/" + id + ".yaml";
    document.getElementById("out-text").value = text;
    var open = document.getElementById("out-open");
    var long = document.getElementById("out-long");
    if (forge && open) {
      var href = link(forge, inRepo, id + ".yaml", text);
      var fits = href.length <= data.maxUrl;
      open.href = fits ? href : "#";
      open.parentNode.hidden = !fits;
      open.parentNode.nextElementSibling.hidden = !fits;
      long.hidden = fits;
      out.setAttribute("data-url", fits ? href : "");
    }
    var download = document.getElementById("out-download");
    if (download.href.indexOf("blob:") === 0) URL.revokeObjectURL(download.href);
    download.href = URL.createObjectURL(new Blob([text], { type: "application/yaml" }));
    download.setAttribute("download", id + ".yaml");
    out.setAttribute("data-path", path);
    out.hidden = false;
  }

  function submit(event) {
    event.preventDefault();
    var got = read();
    var names = Object.keys(got.problems);
    Array.prototype.forEach.call(form.querySelectorAll("[data-field]"), function (box) {
      var name = box.getAttribute("data-field");
      show(name, got.problems[name]);
    });
    var summary = document.getElementById("form-problems");
    var list = summary.querySelector("ul");
    list.textContent = "";
    if (names.length) {
      names.forEach(function (name) {
        var item = document.createElement("li");
        var a = document.createElement("a");
        a.href = "#f-" + name;
        var label = form.querySelector('label[for="f-' + name + '"]');
        var said = got.problems[name].message;
        a.textContent = label ? fill(data.text.said_of, { field: label.firstChild.textContent.trim(), problem: said }) : said;
        item.appendChild(a);
        list.appendChild(item);
      });
      summary.hidden = false;
      document.getElementById("out").hidden = true;
      summary.focus();
      return;
    }
    summary.hidden = true;
    prepare(got.fields);
    document.getElementById("out").scrollIntoView();
  }

  // Needs follow the common; pledges the contributor and the common.
  function narrow() {
    var common = value("common"), contributor = value("contributor");
    [["need", function (o) { return o.getAttribute("data-common") === common; }],
     ["pledge", function (o) {
       return o.getAttribute("data-common") === common && o.getAttribute("data-contributor") === contributor;
     }]].forEach(function (pair) {
      var select = control(pair[0]);
      if (!select) return;
      var any = false;
      Array.prototype.forEach.call(select.options, function (o) {
        if (!o.value) return;
        var keep = pair[1](o);
        o.hidden = !keep;
        o.disabled = !keep;
        any = any || keep;
      });
      if (select.selectedOptions.length && select.selectedOptions[0].disabled) select.value = "";
      select.disabled = !any;
    });
    var picked = chosen("contribution"), help = document.getElementById("f-contribution-help");
    if (help) help.textContent = picked && picked.value ? picked.getAttribute("data-who") : "";
  }

  function check(event) {
    var name = event.target.name;
    if (!name || !event.target.value.trim()) return show(name, null);
    var got = read();
    show(name, got.problems[name]);
  }

  function copy() {
    var area = document.getElementById("out-text"), said = document.getElementById("out-copied");
    function done() { said.textContent = data.text.copied; }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(area.value).then(done, fallback);
    } else fallback();
    function fallback() {
      area.select();
      try { if (document.execCommand("copy")) done(); } catch (e) { /* the text stays selected */ }
    }
  }

  form.addEventListener("submit", submit);
  form.addEventListener("change", function (event) { narrow(); check(event); });
  document.getElementById("out-copy").addEventListener("click", copy);
  var wanted = new URLSearchParams(window.location.search).get("contribution");
  if (wanted && control("contribution")) control("contribution").value = wanted;
  narrow();
  form.hidden = false;
  document.documentElement.setAttribute("data-form", "ready");
})();
