// One calculator widget: its form wired to the runtime, its answer rendered, its CSV, print and link.
// All it keeps is its own (this object); it finds its parts inside its root, never by an id of the page.
import { downloadButton, el, fill, mark } from "./dom.mjs";
import { clearErrors, serverProblem, showErrors, showRead, showUnavailable } from "./errors.mjs";
import { chosenMarkets, renderModel } from "./render.mjs";
import * as state from "./state.mjs";
import { clearCsv, csvLoaded, hintOf, keptCsv, readCsv, showCsv } from "./upload.mjs";

export class Widget {
  // `root`: the widget's element; `runtime`: the page's worker client (runtime.mjs); `marks`: the page's
  // performance marks of answers (dom.mjs AnswerMarks), shared by its widgets.
  constructor(root, runtime, marks) {
    this.root = root;
    this.runtime = runtime;
    this.marks = marks;
    this.name = root.dataset.calculator;
    this.lang = root.dataset.lang || "zh";
    this.words = JSON.parse(root.dataset.messages || "{}");
    this.form = root.querySelector("form");
    this.status = root.querySelector(".calc-status-text");
    this.summary = root.querySelector(".calc-summary");
    this.output = root.querySelector(".calc-result");
    this.actionStatus = root.querySelector(".calc-action-status"); // beside the buttons that caused it
    this.jump = root.querySelector(".calc-jump"); // a result drawn out of view: said, with a link to it
    this.picker = this.form.querySelector('input[type="file"]'); // the CSV picker (fees), or null
    this.csvHint = hintOf(this.picker);
    this.errorView = { root, form: this.form, summary: this.summary, words: this.words }; // where errors are shown (errors.mjs)
    this.csv = null; // {name, text, count} when a CSV file is loaded
    this.sequence = 0;
    this.timer = null;
    this.lastAnswer = null;
    this.bind();
  }

  setState(value, text) {
    this.root.dataset.state = value;
    if (text != null) this.status.textContent = text;
  }

  hasRequired() {
    return state.hasRequired(this.name, this.form, Boolean(this.csv));
  }

  updateUrl() {
    state.updateUrl(this.root, this.form);
  }

  schedule(delay) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(false), delay);
  }

  async run(explicit) {
    this.updateUrl();
    if (this.sayPartialDates(explicit)) return;
    if (!explicit && !this.hasRequired()) {
      const shown = this.lastAnswer != null || this.output.childElementCount > 0;
      this.withdraw();
      if (shown) this.sayWithdrawn();
      this.settle();
      return;
    }
    this.bringIntoView = explicit; // Calculate (or a file chosen): its answer is brought into view
    const sequence = ++this.sequence;
    const input = JSON.stringify(state.input(this.name, this.form, Boolean(this.csv)));
    if (this.root.dataset.state !== "loading") this.status.textContent = this.words.computing;
    const onRows = (m) => { // rows done of total, while a large batch is checked and computed
      if (sequence !== this.sequence) return;
      this.status.textContent = fill(this.words[`rows_${m.phase}`], { done: m.done.toLocaleString(),
        total: m.total.toLocaleString() });
    };
    let reply;
    try {
      reply = await this.runtime.compute(this.name, input, this.lang, this.csv ? this.csv.text : null, onRows);
    } catch (error) {
      this.unavailable(this.failure(error), serverProblem(error));
      return;
    }
    if (sequence !== this.sequence) return; // a newer input has been sent
    if (!reply.ok) {
      this.unavailable(reply.dead ? this.words.worker_died : this.words.internal);
      return;
    }
    const answer = JSON.parse(reply.payload);
    showRead(this.root, answer.read_notes);
    this.output.classList.remove("is-stale");
    this.root.querySelector(".calc-unavailable-top")?.remove();
    if (answer.ok) {
      clearErrors(this.root, this.summary);
      this.render(answer, reply.id);
      if (!reply.later) {
        this.finish(answer.json || reply.json); // a large answer's JSON text may come apart
        return;
      }
      // a large batch: its totals and first page are on screen, its JSON comes next; the state is
      // "done" (and data-result set) only with it
      const m = await reply.json;
      if (sequence !== this.sequence) return;
      if (m.json == null) this.unavailable(m.dead ? this.words.worker_died : this.words.internal);
      else this.finish(m.json);
    } else {
      this.root.removeAttribute("data-result");
      this.output.textContent = "";
      const errorsCsv = answer.errors_csv || answer.paged?.files.errors_csv
        ? () => this.runtime.file(answer, "errors_csv", reply.id) : null;
      showErrors(this.errorView, answer.errors, { moveFocus: explicit, errorsCsv, counts: answer.error_rows });
      if (answer.display && answer.partial.orders.length) {
        // a CSV with bad rows: the good rows' result stays in view beside the problems
        this.lastAnswer = null;
        this.output.append(el("p", { className: "calc-note", text: this.words.partial }), this.view(answer, reply.id));
      }
      this.setState("error", "");
    }
  }

  // The answer stands: data-result holds the CLI's --json for this input.
  finish(json) {
    this.root.dataset.result = json;
    this.setState("done", this.words.done);
    this.marks.answered();
    if (this.revealNext) { // a shared link: bring its answer into view (phones open on the form)
      this.revealNext = false;
      this.output.scrollIntoView({ block: "start" });
      this.output.focus({ preventScroll: true });
    } else if (this.bringIntoView) {
      this.output.scrollIntoView({ block: "start" });
    } else {
      this.announceBelow();
    }
    this.bringIntoView = false;
    this.runtime.whenIdle(() => mark("calc:idle"));
  }

  // A result drawn below the screen after an edit: said at the foot of the screen, with a link to it,
  // until it comes into view.
  announceBelow() {
    const box = this.output.getBoundingClientRect();
    if (box.top < window.innerHeight && box.bottom > 0) return;
    const link = el("a", { href: `#${this.output.id}`, text: this.words.result_jump });
    link.addEventListener("click", (event) => {
      event.preventDefault();
      this.output.scrollIntoView({ block: "start" });
      this.output.focus({ preventScroll: true });
      this.jump.hidden = true;
    });
    this.jump.replaceChildren(this.words.result_below + " ", link);
    this.jump.hidden = false;
    if (!this.watcher && "IntersectionObserver" in window) {
      this.watcher = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting)) this.jump.hidden = true;
      });
      this.watcher.observe(this.output);
    }
  }

  // The result went because a required field was emptied: say which, where the result stood.
  sayWithdrawn() {
    const labels = state.missing(this.name, this.form, Boolean(this.csv)).map((c) => {
      const label = this.root.querySelector(`label[for="${CSS.escape(c.id)}"]`);
      return label ? label.textContent.trim() : c.name;
    });
    if (!labels.length) return;
    this.output.replaceChildren(el("p", { className: "calc-note calc-withdrawn",
      text: fill(this.words.withdrawn, { fields: labels.join(this.words.enum_sep) }) }));
  }

  // A date typed in part has no value for the calculator: rather than answer as if it were empty,
  // name the field and say what it lacks. Whether there was one.
  sayPartialDates(explicit) {
    for (const c of state.controls(this.form)) {
      if (c.type === "date") c.dataset.partial = String(state.partialDate(c)); // as last checked
    }
    const partial = state.partialDates(this.form, Boolean(this.csv));
    if (!partial.length) return false;
    this.withdraw();
    const detail = this.words.date_incomplete;
    showErrors(this.errorView, partial.map((c) => ({ field: c.name, row: null, message: detail, detail })),
      { moveFocus: explicit });
    if (this.root.dataset.state !== "loading") this.setState("error", ""); // a loading runtime's progress stays
    return true;
  }

  failure(error) {
    return error && error.message === "unsupported" ? this.words.unavailable : this.words.load_failed;
  }

  unavailable(message, detail) {
    this.setState("error", "");
    this.output.textContent = "";
    this.root.removeAttribute("data-result");
    showUnavailable(this.errorView, message, detail);
  }

  // --- a CSV of orders ---------------------------------------------------------------------------

  // A CSV file chosen or dropped: its orders computed, or the file refused with what the page can say of it.
  async loadCsv(file) {
    this.markStale();
    const read = await readCsv(file, this.words);
    if (read.csv) {
      this.useCsv(read.csv);
      this.run(true);
      return;
    }
    // nothing of the previous file stays: its table, its result, its name and the file chosen go
    this.dropCsv();
    this.withdraw();
    if (read.refused) { // too large for the page: the command line that takes it is named
      this.picker.setAttribute("aria-invalid", "true");
      this.unavailable(read.refused);
    } else {
      showErrors(this.errorView, [{ field: "csv", row: null, message: read.unreadable, detail: read.unreadable }],
        { moveFocus: true });
      this.setState("error", "");
    }
  }

  // `csv` ({name, text, encoding, count}) gives the orders: named in the picker's hint, with a button
  // that removes it. Also a CSV carried here from the page in the other language.
  useCsv(csv) {
    this.csv = keptCsv(csv);
    showCsv(this.csvHint, this.words, this.csv, () => {
      this.dropCsv();
      this.withdraw();
      this.schedule(0);
    });
  }

  // No CSV: none kept, none chosen in the picker, and its hint without a file's name.
  dropCsv() {
    this.csv = null;
    clearCsv(this.picker, this.csvHint, this.words);
  }

  // The CSV loaded on the page in the other language was too large to carry here: said beside the buttons.
  sayCsvDropped(name) {
    this.actionStatus.textContent = fill(this.words.csv_dropped, { name });
  }

  // A shared link that fills the required fields: answered as soon as the runtime is up, and the answer
  // brought into view (phones open on the form).
  answerLink() {
    if (!this.hasRequired()) return;
    this.revealNext = true;
    this.run(true);
  }

  // No answer stands for the form as it now is: one still on its way is not drawn, the one shown goes.
  withdraw() {
    this.sequence++;
    this.lastAnswer = null;
    if (this.jump) this.jump.hidden = true;
    this.output.textContent = "";
    this.output.classList.remove("is-stale");
    this.root.removeAttribute("data-result");
    clearErrors(this.root, this.summary);
  }

  // Waiting for input: "ready", unless the runtime is still loading or cannot run (its notice stays).
  settle() {
    if (this.root.dataset.state === "loading") return;
    if (this.root.querySelector(".calc-unavailable-top")) this.setState("error", "");
    else this.setState("ready", this.words.ready);
  }

  // Any new input makes the shown result stale: it leaves data-result at once and is dimmed until the
  // new answer replaces it, so figures on screen never pass for the answer to other inputs.
  // Its pages and files are not offered meanwhile.
  markStale() {
    this.root.removeAttribute("data-result");
    this.output.classList.add("is-stale");
    this.disableStale();
  }

  stale() {
    return this.output.classList.contains("is-stale");
  }

  disableStale() {
    if (!this.stale()) return;
    for (const button of [...this.output.querySelectorAll("button"), ...this.summary.querySelectorAll("button")]) {
      button.disabled = true;
    }
  }

  // `id`: the computation that gave `answer`; the worker gives its pages and files only while it is the newest.
  view(answer, id) {
    return renderModel(answer.display, {
      words: this.words,
      chosen: chosenMarkets(answer.display, state.tickedMarkets(this.root)),
      stale: () => this.stale(),
      site: { builtFor: this.runtime.builtFor, here: this.runtime.siteRoot },
      pageRows: (start, count) => this.runtime.request({ type: "page", of: id, start, count }).then((m) => m && m.rows),
      download: (block) => downloadButton(block.text, () => this.runtime.file(answer, block.file, id), block.filename),
    });
  }

  render(answer, id) {
    this.lastAnswer = answer;
    this.lastId = id;
    this.output.replaceChildren(this.printBlock(answer), this.view(answer, id));
    this.disableStale();
  }

  // For print: what was asked, as the calculator read it, the readings and assumptions the answer rests
  // on, when, and where (the page's address).
  printBlock(answer) {
    const w = this.words;
    const read = answer.read || {};
    const answered = state.controls(this.form).filter((c) => state.text(c) !== "");
    const rows = answered.map((c) => {
      const label = this.root.querySelector(`label[for="${CSS.escape(c.id)}"]`);
      let shown = c.tagName === "SELECT" && c.selectedIndex >= 0 ? c.options[c.selectedIndex].text : state.text(c);
      if (read[c.name] != null && read[c.name] !== shown) shown = fill(w.print_read_as, { value: read[c.name], typed: shown });
      return el("li", { text: fill(w.label_value, { label: label ? label.textContent : c.name, value: shown }) });
    });
    if (this.csv) rows.push(el("li", { text: csvLoaded(w, this.csv) }));
    const version = answer.result?.policy_version || answer.partial?.policy_version || this.root.dataset.policyVersion || "";
    const readings = this.readingsOf(this.csv ? [...answered, ...state.orderControls(this.form)] : answered);
    return el("div", { className: "calc-print" }, [
      el("p", {}, [el("strong", { text: w.print_answers })]),
      el("ul", {}, rows),
      readings.length ? el("p", {}, [el("strong", { text: w.print_readings })]) : null,
      readings.length ? el("ul", { className: "calc-print-readings" }, readings) : null,
      el("p", { text: fill(w.print_meta, { date: new Date().toISOString().slice(0, 10), version, url: location.href }) }),
    ]);
  }

  // The readings and assumptions the fields of `controls` rest on (each once), with their addresses.
  readingsOf(controls) {
    const seen = new Map();
    for (const c of controls) {
      for (const a of c.closest(".calc-field")?.querySelectorAll(".calc-reading a[href]") || []) {
        if (!seen.has(a.href)) seen.set(a.href, a.textContent);
      }
    }
    return [...seen].map(([href, text]) => el("li", { text: fill(this.words.label_value, { label: text, value: href }) }));
  }

  // --- wiring ----------------------------------------------------------------------------------

  bind() {
    const form = this.form;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.run(true);
    });
    form.addEventListener("input", (event) => {
      if (event.target.dataset?.market) return;
      delete event.target.dataset.raw; // the user's own input replaces what the link said
      if (event.target.type === "file") return;
      this.markStale();
      mark("calc:input");
      // answers are fast and a newer input overrides an older answer; only a large CSV waits
      this.schedule(this.csv && this.csv.count > 5000 ? 300 : 0);
    });
    form.addEventListener("change", (event) => this.changed(event.target));
    // a date field fires no input event while it holds no whole date: typed in part from empty, or
    // emptied from a date typed in part, it is checked again when the focus leaves it (not while typing)
    form.addEventListener("focusout", (event) => {
      const c = event.target;
      if (c.type === "date" && String(state.partialDate(c)) !== (c.dataset.partial || "false")) {
        this.schedule(0);
      }
    });
    form.addEventListener("reset", () => {
      clearTimeout(this.timer);
      this.withdraw();
      setTimeout(() => { // once the form holds its first values again
        this.dropCsv();
        this.withdraw();
        this.updateUrl();
        this.settle();
      }, 0);
    });
    const drop = this.root.querySelector(".calc-drop");
    if (drop) {
      for (const type of ["dragenter", "dragover"]) {
        drop.addEventListener(type, (event) => {
          event.preventDefault();
          drop.classList.add("is-dragging");
        });
      }
      for (const type of ["dragleave", "drop"]) drop.addEventListener(type, () => drop.classList.remove("is-dragging"));
      drop.addEventListener("drop", (event) => {
        event.preventDefault();
        const file = event.dataTransfer?.files[0];
        if (file) this.loadCsv(file);
      });
    }
    this.root.querySelector('[data-action="copy-link"]').addEventListener("click", () => this.copyLink());
    this.root.querySelector('[data-action="print"]').addEventListener("click", () => window.print());
    // on paper every market: the folded ones open for printing, and fold again after
    window.addEventListener("beforeprint", () => {
      this.unfolded = [...this.output.querySelectorAll("details:not([open])")];
      for (const d of this.unfolded) d.open = true;
    });
    window.addEventListener("afterprint", () => {
      for (const d of this.unfolded || []) d.open = false;
      this.unfolded = [];
    });
  }

  // A control changed: a market ticked (a display choice: the same answer, listed anew), a CSV chosen,
  // or a field of the calculator's input.
  changed(control) {
    if (control.dataset?.market) {
      this.updateUrl();
      if (this.lastAnswer) this.render(this.lastAnswer, this.lastId);
    } else if (control.type === "file") {
      if (control.files?.[0]) this.loadCsv(control.files[0]);
    } else {
      delete control.dataset.raw;
      this.markStale();
      mark("calc:input");
      this.schedule(0);
    }
  }

  // Copy the page's address, and say beside the button what it cannot carry: a CSV's orders (offered
  // to save, to send along), or, for a self-check without an evaluation date, the day it was evaluated for.
  async copyLink() {
    this.updateUrl();
    const url = location.href;
    const w = this.words;
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      this.actionStatus.replaceChildren(w.copy_failed + " ");
      const field = el("input", { type: "text", readonly: "readonly", value: url, "aria-label": w.copy_failed });
      this.actionStatus.append(field);
      field.select();
      return;
    }
    const asOf = this.form.querySelector('[name="as_of"]');
    const evaluated = this.lastAnswer?.result?.as_of;
    if (this.csv) {
      const csv = this.csv;
      this.actionStatus.replaceChildren(el("p", { text: w.copied_no_csv }),
        downloadButton(fill(w.csv_save, { name: csv.name }), () => csv.text, csv.name));
    } else if (asOf && !state.text(asOf) && evaluated) {
      const fix = el("button", { type: "button", className: "md-button", text: fill(w.copy_with_as_of, { as_of: evaluated }) });
      fix.addEventListener("click", () => {
        asOf.value = evaluated;
        this.copyLink();
      });
      this.actionStatus.replaceChildren(el("p", { text: fill(w.copied_no_as_of, { as_of: evaluated }) }), fix);
    } else {
      this.actionStatus.replaceChildren(w.copied);
    }
  }
}
