// The in-page calculators, loaded by calc-loader.js only on pages with a calculator
// ([data-calculator]); it starts the Python runtime in one module worker shared by the widgets.
// Text from the URL, a CSV file or the calculators is always set with textContent, never as HTML.
(function () {
  "use strict";

  var roots = Array.prototype.slice.call(document.querySelectorAll("[data-calculator]"));
  if (!roots.length) return;

  var scriptUrl = document.currentScript.src;
  var siteRoot = new URL("../../", scriptUrl); // this file lives at <site>/assets/js/
  var LOAD_LIMIT_MS = 180000;
  var LARGE_CSV = 1000000; // characters of CSV from which a newer input stops the running computation
  var MAX_WIDGET_ORDERS = 200000; // more orders than the page computes: the command line takes them
  var CLI = {
    eligibility: "python -m calculators eligibility input.json",
    fees: "python -m calculators fees --csv orders.csv",
    review: "python -m calculators review input.json",
  };

  // --- the runtime: one worker per page ------------------------------------------------------

  var runtime = {
    worker: null,
    ready: null,
    nextId: 1,
    pending: new Map(),
    listeners: [],

    start: function () {
      if (this.ready) return this.ready;
      var self = this;
      var indexURL = new URL(roots[0].dataset.runtime, siteRoot).href;
      // the trimmed, compiled standard library the site build made (empty: the runtime's own)
      var stdLibURL = roots[0].dataset.stdlib ? new URL(roots[0].dataset.stdlib, siteRoot).href : null;
      var wheels = [];
      roots.forEach(function (root) { // every wheel any widget on the page needs, once
        root.dataset.wheels.split(/\s+/).filter(Boolean).forEach(function (w) {
          var url = new URL(w, siteRoot).href;
          if (wheels.indexOf(url) < 0) wheels.push(url);
        });
      });
      this.ready = new Promise(function (resolve, reject) {
        if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
          reject(new Error("unsupported"));
          return;
        }
        var worker;
        try {
          worker = new Worker(new URL("calc-worker.mjs", scriptUrl), { type: "module" });
        } catch (error) {
          reject(error);
          return;
        }
        self.worker = worker;
        worker.onmessage = function (event) {
          var m = event.data;
          if (m.type === "progress") self.listeners.forEach(function (f) { f(m.stage); });
          else if (m.type === "ready") {
            // how the runtime started: "snapshot" (kept from an earlier page), "fresh" or "fallback"
            roots.forEach(function (root) { root.dataset.runtimeStart = m.start || "fresh"; });
            self.alive = true;
            resolve();
          } else if (m.type === "idle-done") mark("calc:idle");
          else if (m.type === "failed") reject(new Error(m.message));
          else if (m.type === "rows") {
            var onRows = self.onRows.get(m.id);
            if (onRows) onRows(m);
          } else if (m.type === "result" || m.type === "page" || m.type === "file") {
            var done = self.pending.get(m.id);
            self.pending.delete(m.id);
            self.onRows.delete(m.id);
            if (m.type === "result") self.busy = null;
            // [issue 13] a large batch's JSON (for data-result) follows its totals in a "json" message
            if (m.type === "result" && m.later) {
              m.json = new Promise(function (resolve) { self.later.set(m.id, resolve); });
            }
            if (done) done(m);
          } else if (m.type === "json") { // [issue 13]
            var later = self.later.get(m.id);
            self.later.delete(m.id);
            if (later) later(m);
          }
        };
        worker.onerror = function (event) {
          if (event.preventDefault) event.preventDefault();
          if (self.alive) self.died();
          else reject(new Error(event.message || "worker failed"));
        };
        worker.postMessage({ type: "init", indexURL: indexURL, stdLibURL: stdLibURL, wheels: wheels });
        // last resort: a runtime that neither loads nor fails within this time is reported as failed
        setTimeout(function () { reject(new Error("timeout")); }, LOAD_LIMIT_MS);
      });
      return this.ready;
    },

    // The worker stopped after it was ready: every waiting request is answered as failed, and the
    // next computation starts a new runtime.
    died: function () {
      var pending = this.pending;
      this.pending = new Map();
      if (this.worker) this.worker.terminate();
      this.worker = null;
      this.ready = null;
      this.alive = false;
      this.busy = null;
      this.onRows = new Map();
      pending.forEach(function (done) { done({ ok: false, dead: true }); });
      var later = this.later; // [issue 13]
      this.later = new Map();
      later.forEach(function (resolve) { resolve({ json: null, dead: true }); });
    },

    // After the first answer, once the browser is idle: let the worker keep a snapshot of the
    // started runtime for the next calculator page and the next visit (marks calc:idle when done).
    idleSent: false,
    whenIdle: function () {
      if (this.idleSent || !this.worker) return;
      this.idleSent = true;
      var worker = this.worker;
      var send = function () { worker.postMessage({ type: "idle" }); };
      if (window.requestIdleCallback) window.requestIdleCallback(send, { timeout: 5000 });
      else setTimeout(send, 1000);
    },

    onRows: new Map(),
    later: new Map(), // [issue 13] id -> resolve({json}) of a large batch whose JSON is still coming
    busy: null, // {large} while a computation runs

    // A newer input cancels older work: a large batch still running is stopped with its worker, and
    // a new runtime answers the newer input (small computations simply finish first).
    compute: function (name, input, lang, csv, onRows) {
      var self = this;
      if (this.busy && this.busy.large) this.died();
      return this.start().then(function () {
        return new Promise(function (resolve) {
          var id = self.nextId++;
          self.pending.set(id, resolve);
          if (onRows) self.onRows.set(id, onRows);
          self.busy = { large: Boolean(csv && csv.length > LARGE_CSV) };
          self.worker.postMessage({ type: "compute", id: id, name: name, input: input, lang: lang, csv: csv });
        });
      });
    },

    // A page of the orders of a large answer, or one of its CSV files, kept in the worker.
    request: function (message) {
      var self = this;
      if (!this.worker) return Promise.resolve(null);
      return new Promise(function (resolve) {
        var id = self.nextId++;
        self.pending.set(id, resolve);
        self.worker.postMessage(Object.assign({ id: id }, message));
      });
    },
  };

  // Performance marks for profiling and `make bench`: calc:first-result, calc:input, calc:result,
  // calc:idle (the worker's after-the-first-answer work is done).
  var firstResult = false;
  function mark(name) {
    if (window.performance && performance.mark) performance.mark(name);
  }

  // --- small DOM helpers -----------------------------------------------------------------------

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key === "className") node.className = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) {
      if (child != null) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return values[key] != null ? String(values[key]) : ""; });
  }

  // --- one widget --------------------------------------------------------------------------------

  function Widget(root) {
    this.root = root;
    this.name = root.dataset.calculator;
    this.lang = root.dataset.lang || "zh";
    this.words = JSON.parse(root.dataset.messages || "{}");
    this.form = root.querySelector("form");
    this.status = root.querySelector(".calc-status-text");
    this.summary = root.querySelector(".calc-summary");
    this.output = root.querySelector(".calc-result");
    this.csv = null; // {name, text, count} when a CSV file is loaded
    this.sequence = 0;
    this.timer = null;
    this.bind();
  }

  Widget.prototype.controls = function () {
    return Array.prototype.filter.call(this.form.elements, function (c) {
      return c.name && c.type !== "file" && c.tagName !== "BUTTON";
    });
  };

  Widget.prototype.control = function (name) {
    return this.form.querySelector('[name="' + CSS.escape(name) + '"]');
  };

  Widget.prototype.setState = function (state, text) {
    this.root.dataset.state = state;
    if (text != null) this.status.textContent = text;
  };

  Widget.prototype.prefill = function (params) {
    var any = false;
    var wanted = (params.get("markets") || "").split(",");
    Array.prototype.forEach.call(this.root.querySelectorAll("input[data-market]"), function (box) {
      box.checked = wanted.indexOf(box.dataset.market) >= 0;
    });
    this.controls().forEach(function (control) {
      if (!params.has(control.name)) return;
      var value = params.get(control.name);
      if (control.tagName === "SELECT" && !Array.prototype.some.call(control.options, function (o) { return o.value === value; })) {
        control.appendChild(new Option(value, value)); // keep what the link said; the calculator will name the fault
      }
      control.value = value;
      // a date input drops a value it cannot show (2024-02-30): show it as text, so that the field
      // does not look empty beside the message that names it
      if (control.value !== value && control.type === "date") {
        control.type = "text";
        control.value = value;
      }
      if (control.value !== value) control.dataset.raw = value;
      any = true;
    });
    return any;
  };

  Widget.prototype.convert = function (control, value) {
    var type = control.dataset.type;
    if (type === "bool") return value === "true" ? true : value === "false" ? false : value;
    if (type === "integer" && /^[+-]?\d{1,15}$/.test(value)) return Number(value);
    if (type === "number" && /^[+-]?(\d{1,15}(\.\d{0,15})?|\.\d{1,15})$/.test(value)) return Number(value);
    return value;
  };

  Widget.prototype.text = function (control) {
    return control.value.trim() || control.dataset.raw || "";
  };

  Widget.prototype.values = function () {
    var values = {};
    var self = this;
    this.controls().forEach(function (control) {
      var value = self.text(control);
      if (value !== "") values[control.name] = self.convert(control, value);
    });
    return values;
  };

  // The JSON input for the calculator, as the CLI would read it.
  Widget.prototype.input = function () {
    var v = this.values();
    if (this.name !== "fees") return v;
    var data = {};
    if (v.onboarded_on !== undefined) data.onboarded_on = v.onboarded_on;
    if (v.deposit !== undefined) data.deposit = v.deposit;
    if (!this.csv) {
      var order = { id: "1" };
      ["date", "amount", "refunded"].forEach(function (key) { if (v[key] !== undefined) order[key] = v[key]; });
      data.orders = [order];
    }
    return data;
  };

  Widget.prototype.hasRequired = function () {
    var v = this.values();
    if (this.name === "fees") return Boolean(this.csv) || (v.date !== undefined && v.amount !== undefined);
    var self = this;
    return this.controls().every(function (c) {
      return c.getAttribute("aria-required") !== "true" || self.text(c) !== "";
    });
  };

  Widget.prototype.updateUrl = function () {
    var params = new URLSearchParams();
    var self = this;
    this.controls().forEach(function (c) { if (self.text(c) !== "") params.set(c.name, self.text(c)); });
    var ticked = Array.prototype.filter.call(this.root.querySelectorAll("input[data-market]"), function (b) { return b.checked; })
      .map(function (b) { return b.dataset.market; });
    if (ticked.length) params.set("markets", ticked.join(","));
    var query = params.toString();
    history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
  };

  Widget.prototype.schedule = function (delay) {
    var self = this;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.run(false); }, delay);
  };

  Widget.prototype.run = function (explicit) {
    var self = this;
    this.updateUrl();
    if (!explicit && !this.hasRequired()) {
      this.clearErrors();
      return Promise.resolve();
    }
    var sequence = ++this.sequence;
    var input = JSON.stringify(this.input());
    var csv = this.csv ? this.csv.text : null;
    if (this.root.dataset.state !== "loading") this.status.textContent = this.words.computing;
    var onRows = function (m) { // rows done of total, while a large batch is checked and computed
      if (sequence !== self.sequence) return;
      self.status.textContent = fill(self.words["rows_" + m.phase], { done: m.done.toLocaleString(), total: m.total.toLocaleString() });
    };
    return runtime.compute(this.name, input, this.lang, csv, onRows).then(function (reply) {
      if (sequence !== self.sequence) return; // a newer input has been sent
      if (!reply.ok) {
        self.unavailable(reply.dead ? self.words.worker_died : self.words.internal);
        return;
      }
      var answer = JSON.parse(reply.payload);
      self.showRead(answer.read || {});
      self.output.classList.remove("is-stale");
      var top = self.root.querySelector(".calc-unavailable-top");
      if (top) top.remove();
      if (answer.ok) {
        self.clearErrors();
        self.render(answer);
        var finish = function (json) {
          self.root.dataset.result = json;
          self.setState("done", self.words.done);
          mark(firstResult ? "calc:result" : "calc:first-result");
          firstResult = true;
          if (self.revealNext) { // a shared link: bring its answer into view (phones open on the form)
            self.revealNext = false;
            self.output.scrollIntoView({ block: "start" });
            self.output.focus({ preventScroll: true });
          }
          runtime.whenIdle();
        };
        // [issue 13] a large batch: its totals and first page are on screen, its JSON comes next;
        // the state is "done" (and data-result set) only with it
        if (reply.later) {
          reply.json.then(function (m) {
            if (sequence !== self.sequence) return;
            if (m.json == null) self.unavailable(m.dead ? self.words.worker_died : self.words.internal);
            else finish(m.json);
          });
          return;
        }
        finish(answer.json);
      } else {
        self.root.removeAttribute("data-result");
        self.output.textContent = "";
        self.showErrors(answer.errors, explicit, answer);
        if (answer.partial && answer.partial.orders.length) {
          // a CSV with bad rows: the good rows' result stays in view beside the problems
          self.output.appendChild(el("p", { className: "calc-note", text: self.words.partial }));
          self.output.appendChild(self.renderFees({ result: answer.partial, csv: answer.csv, rates: answer.rates, paged: answer.paged }));
        }
        self.setState("error", "");
      }
    }, function (error) {
      self.unavailable(self.failure(error), serverProblem(error));
    });
  };

  Widget.prototype.failure = function (error) {
    return error && error.message === "unsupported" ? this.words.unavailable : this.words.load_failed;
  };

  // The calculator cannot answer: say so at the top of the widget (not below a long form), with the CLI.
  // `detail`: what the worker's runtime probe found wrong with the host (a file's type, say).
  Widget.prototype.unavailable = function (text, detail) {
    this.setState("error", "");
    this.output.textContent = "";
    this.root.removeAttribute("data-result");
    var old = this.root.querySelector(".calc-unavailable-top");
    if (old) old.remove();
    var parts = [el("p", { text: text }), el("pre", {}, [el("code", { text: CLI[this.name] })])];
    if (detail) parts.push(el("p", { className: "calc-detail", text: detail }));
    var box = el("div", { className: "calc-unavailable calc-unavailable-top", role: "alert" }, parts);
    this.form.parentNode.insertBefore(box, this.form);
  };

  // What the worker's runtime probe found wrong with the host, or "".
  function serverProblem(error) {
    var text = (error && error.message) || "";
    return text.indexOf("server: ") === 0 ? text.slice(8) : "";
  }

  // Any new input makes the shown result stale: it leaves data-result at once and is dimmed until the
  // new answer replaces it, so figures on screen never pass for the answer to other inputs.
  Widget.prototype.markStale = function () {
    this.root.removeAttribute("data-result");
    this.output.classList.add("is-stale");
  };

  // What a field typed as people type ("２０", "1,280.00", "¥1280") was read as, shown beside it.
  Widget.prototype.showRead = function (read) {
    var self = this;
    Array.prototype.forEach.call(this.root.querySelectorAll(".calc-read"), function (p) { p.remove(); });
    Object.keys(read).forEach(function (name) {
      var control = self.control(name);
      if (!control) return;
      var note = el("p", { className: "calc-read", id: control.id + "-read", text: fill(self.words.read_as, { value: read[name] }) });
      control.parentNode.appendChild(note);
    });
  };

  // --- print: what was asked, when, where ----------------------------------------------------------

  Widget.prototype.printAnswers = function (answer) {
    var w = this.words;
    var self = this;
    var old = this.root.querySelector(".calc-print");
    if (old) old.remove();
    var rows = this.controls().filter(function (c) { return self.text(c) !== ""; }).map(function (c) {
      var label = self.root.querySelector('label[for="' + CSS.escape(c.id) + '"]');
      var shown = c.tagName === "SELECT" && c.selectedIndex >= 0 ? c.options[c.selectedIndex].text : self.text(c);
      return el("li", {}, [(label ? label.textContent : c.name) + w.colon + shown]);
    });
    if (this.csv) rows.push(el("li", {}, [fill(w.csv_loaded, { name: this.csv.name, count: this.csv.count })]));
    var version = answer.result.policy_version || this.root.dataset.policyVersion || "";
    this.output.insertBefore(el("div", { className: "calc-print" }, [
      el("p", {}, [el("strong", { text: w.print_answers })]),
      el("ul", {}, rows),
      el("p", { text: fill(w.print_meta, { date: new Date().toISOString().slice(0, 10), version: version, url: location.href }) }),
    ]), this.output.firstChild);
  };

  // --- errors --------------------------------------------------------------------------------

  Widget.prototype.clearErrors = function () {
    this.summary.hidden = true;
    this.summary.textContent = "";
    Array.prototype.forEach.call(this.root.querySelectorAll("[aria-invalid]"), function (c) {
      c.removeAttribute("aria-invalid");
    });
    Array.prototype.forEach.call(this.root.querySelectorAll(".calc-field-error"), function (p) {
      p.hidden = true;
      p.textContent = "";
    });
  };

  Widget.prototype.fieldFor = function (problem) {
    if (problem.row != null || problem.field === "csv") return this.form.querySelector('input[type="file"]');
    var name = String(problem.field || "").replace(/^orders\[\d+\]\./, "");
    return name ? this.control(name) : null;
  };

  // Bad rows of a CSV, usable however many: one line per kind of problem with its count and first
  // rows, and the full report to download (row, id, field, problem).
  Widget.prototype.rowSummary = function (problems, answer) {
    var w = this.words;
    var groups = new Map();
    problems.forEach(function (p) {
      var key = (p.code || "") + "|" + String(p.field || "").replace(/^orders\[\d+\]\./, "");
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(p);
    });
    var list = el("ul", { className: "calc-row-groups" });
    groups.forEach(function (rows) {
      var shown = rows.slice(0, 5).map(function (p) { return p.row; }).join(w.enum_sep);
      list.appendChild(el("li", { text: fill(w.csv_group, {
        count: rows.length, problem: rows[0].detail,
        rows: fill(rows.length > 5 ? w.rows_more : w.rows_list, { rows: shown }),
      }) }));
    });
    var box = el("div", {}, [el("p", { text: fill(w.csv_bad_rows, { count: problems.length }) }), list]);
    if (answer && (answer.errors_csv || (answer.paged && answer.paged.files.errors_csv))) {
      box.appendChild(this.downloadButton(w.download_errors, function () {
        return answer.errors_csv || runtime.request({ type: "file", which: "errors_csv" }).then(function (m) { return m ? m.text : ""; });
      }, "fees-errors.csv"));
    }
    return box;
  };

  // `content`: the file's text, or a function giving a promise of it (a large batch's files are
  // fetched from the worker when asked for)
  Widget.prototype.downloadButton = function (text, content, filename) {
    var button = el("button", { type: "button", className: "md-button", text: text });
    button.addEventListener("click", function () {
      Promise.resolve(typeof content === "function" ? content() : content).then(function (body) {
        var link = el("a", { href: URL.createObjectURL(new Blob(["\ufeff" + body], { type: "text/csv" })), download: filename });
        document.body.appendChild(link);
        link.click();
        link.remove();
      });
    });
    return button;
  };

  Widget.prototype.showErrors = function (problems, moveFocus, answer) {
    var self = this;
    this.clearErrors();
    var list = el("ul");
    var rows = problems.filter(function (p) { return p.row != null; });
    if (rows.length) {
      var picker = this.form.querySelector('input[type="file"]');
      picker.setAttribute("aria-invalid", "true");
      var note = document.getElementById(picker.id + "-error");
      note.textContent = fill(this.words.csv_bad_rows, { count: rows.length });
      note.hidden = false;
      list.appendChild(el("li", {}, [this.rowSummary(rows, answer)]));
      problems = problems.filter(function (p) { return p.row == null; });
    }
    problems.forEach(function (problem) {
      var control = self.fieldFor(problem);
      var item = el("li");
      if (control) {
        control.setAttribute("aria-invalid", "true");
        var note = document.getElementById(control.id + "-error");
        if (note) {
          note.textContent = (note.textContent ? note.textContent + " " : "") +
            (problem.row != null ? problem.message : problem.detail);
          note.hidden = false;
        }
        var label = self.root.querySelector('label[for="' + CSS.escape(control.id) + '"]');
        var link = el("a", { href: "#" + control.id, text: label ? label.textContent : problem.field });
        link.addEventListener("click", function (event) {
          event.preventDefault();
          control.focus();
        });
        item.appendChild(link);
        item.appendChild(document.createTextNode(self.words.colon + (problem.row != null ? problem.message : problem.detail)));
      } else {
        item.textContent = problem.message;
      }
      list.appendChild(item);
    });
    this.summary.appendChild(el("p", { text: this.words.errors_title }));
    this.summary.appendChild(list);
    this.summary.hidden = false;
    if (moveFocus) this.summary.focus();
  };

  // --- results -------------------------------------------------------------------------------

  Widget.prototype.render = function (answer) {
    this.lastAnswer = answer;
    this.output.textContent = "";
    var view = { eligibility: this.renderEligibility, fees: this.renderFees, review: this.renderReview }[this.name];
    this.output.appendChild(view.call(this, answer));
    this.printAnswers(answer);
  };

  // `skip`: ids already stated above (the general conditions), said once rather than under each market
  Widget.prototype.criteriaList = function (part, skip) {
    var self = this;
    var unmet = part.criteria.filter(function (c) { return !c.met; });
    var generalUnmet = skip ? unmet.some(function (c) { return skip.has(c.id); }) : false;
    if (skip) unmet = unmet.filter(function (c) { return !skip.has(c.id); });
    if (!unmet.length) {
      return el("p", { className: "calc-note", text: generalUnmet ? this.words.only_general + " " + this.words.plus_general : this.words.all_met });
    }
    if (generalUnmet) {
      var list = this.criteriaList({ criteria: unmet });
      return el("div", {}, [list, el("p", { className: "calc-note", text: this.words.plus_general })]);
    }
    return el("ul", { className: "calc-criteria" }, unmet.map(function (c) {
      return el("li", {}, [
        el("strong", { text: c.text }), " — " + c.reason + " ",
        el("a", { href: new URL(c.source.replace(/^\//, ""), siteRoot).href, text: "(" + self.words.clause + ")" }),
      ]);
    }));
  };

  // The markets to list first: ticked in the form (kept in the address as markets=…), or else the open ones.
  Widget.prototype.interest = function (result) {
    var boxes = Array.prototype.slice.call(this.root.querySelectorAll("input[data-market]"));
    var ticked = boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.dataset.market; });
    if (ticked.length) return ticked;
    return Object.keys(result.categories).filter(function (k) { return result.categories[k].open; });
  };

  Widget.prototype.block = function (title, verdict, extra, body) {
    return el("section", { className: "calc-market" }, [
      el("h3", {}, [title + " ", el("span", { className: "calc-verdict calc-verdict--" + verdict.kind, text: verdict.text })]),
      extra ? el("p", { className: "calc-note", text: extra }) : null,
      body,
    ]);
  };

  Widget.prototype.renderEligibility = function (answer) {
    var r = answer.result;
    var w = this.words;
    var self = this;
    var box = el("div", {}, [el("p", { className: "calc-note", text: fill(w.result_for, { as_of: r.as_of, version: r.policy_version }) })]);
    box.appendChild(this.block(w.provider, answer.verdicts.provider, null, this.criteriaList(r.provider)));
    var general = new Set(r.provider.criteria.map(function (c) { return c.id; }));
    var keys = Object.keys(r.categories);
    var chosen = this.interest(r);
    var others = [];
    keys.filter(function (k) { return chosen.indexOf(k) >= 0; }).concat(keys.filter(function (k) { return chosen.indexOf(k) < 0; }))
      .forEach(function (key) {
        var market = r.categories[key];
        var block = self.block(market.name, answer.verdicts[key], market.open ? w.open : w.closed,
          self.criteriaList(market, general));
        block.dataset.market = key;
        if (chosen.indexOf(key) >= 0) box.appendChild(block);
        else others.push(block);
      });
    if (others.length) {
      box.appendChild(el("details", { className: "calc-other-markets" }, [
        el("summary", { text: fill(w.other_markets, { count: others.length }) }),
      ].concat(others)));
    }
    return box;
  };

  Widget.prototype.renderFees = function (answer) {
    var r = answer.result;
    var w = this.words;
    var self = this;
    var heads = w.fees_header.split(" | ");
    var keys = ["id", "date", "amount", "refunded", "fee_base", "rate", "fee", "waived_fee", "provider_receives"];
    var rates = answer.rates || { percent: {}, periods: [] };
    var paged = answer.paged; // a large batch: its orders are in the worker, a page at a time
    var row = function (o) {
      return el("tr", {}, keys.map(function (k, i) {
        var text = k === "waived_fee" ? (o.waived ? w.waived_yes + " " + o.waived_fee : "—")
          : k === "rate" ? rates.percent[o.rate] || o.rate : o[k];
        return el("td", { text: text, "data-label": heads[i] }); // the label shows where rows stack (phones)
      }));
    };
    var body = el("tbody", {}, r.orders.map(row));
    var table = el("table", { className: "calc-fees-table" }, [
      el("thead", {}, [el("tr", {}, heads.map(function (h) { return el("th", { scope: "col", text: h }); }))]),
      body,
      el("tfoot", {}, [el("tr", {}, [el("th", { scope: "row", text: w.totals }), el("td", { className: "calc-empty" })].concat(
        keys.slice(2).map(function (k, i) {
          return el("td", { text: r.totals[k] || "", "data-label": heads[i + 2], className: r.totals[k] ? "" : "calc-empty" });
        })))]),
    ]);
    var deposit = (r.deposit.amount || r.deposit.note) + (r.deposit.planned
      ? w.semicolon + w.planned + " " + r.deposit.planned + (this.lang === "zh" ? "（" : " (") + r.deposit.planned_note + (this.lang === "zh" ? "）" : ")")
      : "");
    var fetchFile = function (which) { // a large batch's files stay in the worker until asked for
      return answer[which] ? Promise.resolve(answer[which])
        : runtime.request({ type: "file", which: which }).then(function (m) { return m ? m.text : ""; });
    };
    var download = this.downloadButton(w.download_csv, function () { return fetchFile("csv"); }, "fees-result.csv");
    var changed = rates.periods.length > 1 ? el("p", { className: "calc-note calc-rate-change", text: fill(w.rate_changed, {
      spans: rates.periods.map(function (p) {
        return fill(p.first === p.last ? w.rate_day : w.rate_span, { rate: p.percent, first: p.first, last: p.last });
      }).join(w.semicolon),
    }) }) : null;
    // totals first: the answer to "what will I pay", whatever the number of orders
    var totals = el("p", { className: "calc-totals" }, [el("strong", { text: w.totals + w.colon }),
      fill(w.totals_line, { count: (paged ? paged.total : r.orders.length).toLocaleString(), fee: r.totals.fee,
        waived: r.totals.waived_fee, base: r.totals.fee_base })]);
    var pager = null;
    if (paged && paged.total > paged.page) {
      var at = 0;
      var where = el("span", { className: "calc-page-where" });
      var show = function () {
        where.textContent = fill(w.page_where, { first: (at + 1).toLocaleString(),
          last: Math.min(at + paged.page, paged.total).toLocaleString(), total: paged.total.toLocaleString() });
        previous.disabled = at === 0;
        next.disabled = at + paged.page >= paged.total;
      };
      var go = function (to) {
        runtime.request({ type: "page", start: to, count: paged.page }).then(function (m) {
          if (!m) return;
          at = to;
          body.textContent = "";
          m.rows.forEach(function (o) { body.appendChild(row(o)); });
          show();
        });
      };
      var previous = el("button", { type: "button", className: "md-button", text: w.page_previous });
      var next = el("button", { type: "button", className: "md-button", text: w.page_next });
      previous.addEventListener("click", function () { go(Math.max(0, at - paged.page)); });
      next.addEventListener("click", function () { go(at + paged.page); });
      pager = el("p", { className: "calc-actions calc-pager" }, [previous, where, next]);
      show();
    }
    return el("div", {}, [
      changed,
      totals,
      el("div", { className: "md-typeset__scrollwrap", tabindex: "0", role: "region", "aria-label": w.fees_header },
        [el("div", { className: "md-typeset__table" }, [table])]),
      pager,
      el("p", { text: fill(w.invoices, { platform: r.totals.fee, user: r.totals.fee_base }) }),
      el("p", { text: w.deposit_label + w.colon + deposit }),
      el("p", { className: "calc-actions" }, [download]),
    ]);
  };

  Widget.prototype.renderReview = function (answer) {
    var r = answer.result;
    var w = this.words;
    var skipped = r.skipped.length ? r.skipped.map(function (s) { return s.date + " (" + s.reason + ")"; }).join(", ") : w.none_skipped;
    return el("div", {}, [
      el("p", { className: "calc-note", text: w.submitted + w.colon + r.submitted_on }),
      el("p", {}, [el("strong", { text: w.window + w.colon }), w.earliest + " " + r.earliest + " · " + w.latest + " " + r.latest]),
      el("p", { text: w.counted + w.colon + r.working_days.join(", ") }),
      el("p", { text: w.skipped + w.colon + skipped }),
      (r.makeup_working_days || []).length ? el("p", { className: "calc-makeup", text: w.makeup + w.colon +
        r.makeup_working_days.map(function (m) { return m.date + " (" + m.reason + ")"; }).join(", ") }) : null,
    ].concat(r.warnings.map(function (text) { return el("p", { className: "calc-unavailable", text: text }); })));
  };

  // --- CSV upload ----------------------------------------------------------------------------

  Widget.prototype.loadCsv = function (file) {
    var self = this;
    var picker = this.form.querySelector('input[type="file"]');
    this.markStale();
    file.arrayBuffer().then(function (buffer) {
      var text;
      try {
        text = new TextDecoder("utf-8", { fatal: true }).decode(buffer);
      } catch (error) {
        // nothing of the previous file stays: its table, its result and its name go
        self.csv = null;
        self.output.textContent = "";
        self.output.classList.remove("is-stale");
        var hint = document.getElementById("fees-csv-hint");
        if (hint) hint.textContent = self.words.csv_field;
        self.showErrors([{ field: "csv", row: null, message: self.words.csv_not_utf8, detail: self.words.csv_not_utf8 }], true);
        self.setState("error", "");
        return;
      }
      var count = csvRecords(text) - 1;
      if (count > MAX_WIDGET_ORDERS) { // refused up front, with the command that takes any number
        self.csv = null;
        self.output.textContent = "";
        self.clearErrors();
        picker.setAttribute("aria-invalid", "true");
        self.unavailable(fill(self.words.too_many_rows, { count: count.toLocaleString(), maximum: MAX_WIDGET_ORDERS.toLocaleString() }));
        return;
      }
      self.csv = { name: file.name, text: text, count: Math.max(count, 0) };
      self.showCsv(picker);
      self.run(true);
    });
  };

  Widget.prototype.showCsv = function (picker) {
    var self = this;
    var hint = document.getElementById("fees-csv-hint");
    hint.textContent = "";
    var remove = el("button", { type: "button", className: "md-button", text: this.words.csv_remove });
    remove.addEventListener("click", function () {
      self.csv = null;
      picker.value = "";
      hint.textContent = self.words.csv_field;
      self.output.textContent = "";
      self.root.removeAttribute("data-result");
      self.clearErrors();
      self.schedule(0);
    });
    hint.appendChild(document.createTextNode(fill(this.words.csv_loaded, { name: this.csv.name, count: this.csv.count }) + " "));
    hint.appendChild(remove);
  };

  // The records of a CSV text: line ends inside a quoted cell do not count, blank lines neither.
  function csvRecords(text) {
    var records = 0;
    var quoted = false;
    var content = false;
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c === 34) quoted = !quoted; // "
      else if ((c === 10 || c === 13) && !quoted) {
        if (content) records++;
        content = false;
        if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
        continue;
      }
      if (c !== 32 && c !== 9 && c !== 44) content = true;
    }
    return records + (content ? 1 : 0);
  }

  // --- wiring --------------------------------------------------------------------------------

  Widget.prototype.bind = function () {
    var self = this;
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.run(true);
    });
    this.form.addEventListener("change", function (event) {
      if (!event.target.dataset || !event.target.dataset.market) return;
      event.stopImmediatePropagation(); // a display choice: the same answer, listed anew
      self.updateUrl();
      if (self.lastAnswer) self.render(self.lastAnswer);
    }, true);
    this.form.addEventListener("input", function (event) {
      if (event.target.dataset && event.target.dataset.market) return;
      delete event.target.dataset.raw; // the user's own input replaces what the link said
      if (event.target.type === "file") return;
      self.markStale();
      mark("calc:input");
      // answers are fast and a newer input overrides an older answer; only a large CSV waits
      self.schedule(self.csv && self.csv.count > 5000 ? 300 : 0);
    });
    this.form.addEventListener("change", function (event) {
      if (event.target.type === "file") {
        if (event.target.files && event.target.files[0]) self.loadCsv(event.target.files[0]);
      } else {
        delete event.target.dataset.raw;
        self.markStale();
        mark("calc:input");
        self.schedule(0);
      }
    });
    this.form.addEventListener("reset", function () {
      setTimeout(function () {
        self.csv = null;
        self.output.textContent = "";
        self.root.removeAttribute("data-result");
        self.clearErrors();
        self.updateUrl();
        if (self.root.dataset.state !== "loading") self.setState("ready", self.words.ready);
      }, 0);
    });
    var drop = this.root.querySelector(".calc-drop");
    if (drop) {
      ["dragenter", "dragover"].forEach(function (type) {
        drop.addEventListener(type, function (event) { event.preventDefault(); drop.classList.add("is-dragging"); });
      });
      ["dragleave", "drop"].forEach(function (type) {
        drop.addEventListener(type, function () { drop.classList.remove("is-dragging"); });
      });
      drop.addEventListener("drop", function (event) {
        event.preventDefault();
        var file = event.dataTransfer && event.dataTransfer.files[0];
        if (file) self.loadCsv(file);
      });
    }
    this.root.querySelector('[data-action="copy-link"]').addEventListener("click", function () { self.copyLink(); });
    this.root.querySelector('[data-action="print"]').addEventListener("click", function () { window.print(); });
  };

  Widget.prototype.copyLink = function () {
    var self = this;
    this.updateUrl();
    var url = location.href;
    var done = function () { self.status.textContent = self.words.copied; };
    var fallback = function () {
      self.status.textContent = self.words.copy_failed + " ";
      var field = el("input", { type: "text", readonly: "readonly", value: url, "aria-label": self.words.copy_failed });
      self.status.appendChild(field);
      field.select();
    };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(url).then(done, fallback);
    else fallback();
  };

  // --- start ---------------------------------------------------------------------------------

  var widgets = roots.map(function (root) { return new Widget(root); });
  var params = new URLSearchParams(location.search);
  var shared = widgets.map(function (w) { return w.prefill(params); }).some(Boolean);

  runtime.listeners.push(function (stage) {
    widgets.forEach(function (w) { if (w.root.dataset.state === "loading") w.status.textContent = w.words[stage]; });
  });

  var start = function () {
    runtime.start().then(function () {
      widgets.forEach(function (w) {
        if (w.root.dataset.state === "loading") w.setState("ready", w.words.ready);
      });
    }, function (error) {
      widgets.forEach(function (w) { w.unavailable(w.failure(error), serverProblem(error)); });
    });
  };

  if (shared) {
    // a shared link: start at once, answer as soon as the runtime is up, and show the answer
    start();
    widgets.forEach(function (w) { w.revealNext = w.hasRequired(); });
    widgets.forEach(function (w) { if (w.hasRequired()) w.run(true); });
  } else {
    var once = function () {
      roots.forEach(function (root) {
        root.removeEventListener("focusin", once);
        root.removeEventListener("input", once);
      });
      start();
    };
    roots.forEach(function (root) {
      root.addEventListener("focusin", once);
      root.addEventListener("input", once);
    });
    if ("requestIdleCallback" in window) requestIdleCallback(once, { timeout: 3000 });
    else setTimeout(once, 500);
  }
})();
