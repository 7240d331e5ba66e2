// The worker client: one runtime (Pyodide and the calculators) answers every widget of the page; it
// runs in the site's shared worker, which other pages use too, or in a worker of the page's own
// (connection.mjs).
import { FROM_WORKER, TO_WORKER, dispatcher, message } from "./protocol.mjs";
import { canShare, connect } from "./connection.mjs";
import { runtimeFiles, takeEarly } from "./early.mjs";

const LOAD_LIMIT_MS = 180000;
const LARGE_CSV = 1000000; // characters of CSV from which a newer input stops the running computation

export class Runtime {
  // `roots`: the widgets' root elements (their data-runtime, data-stdlib and data-wheels name the files);
  // `siteRoot`: the site's base URL; `workerUrl`: the worker module's URL. `shared`: on the site's
  // shared worker. A large batch of orders on a shared runtime is computed by a runtime of the page's
  // own (`own`: its widgets' attributes are not its to set), which a newer input can stop, and which
  // keeps the other pages' runtime free meanwhile; `ids` numbers the requests of both.
  constructor(roots, siteRoot, workerUrl, { shared = canShare(), own = false, ids = { next: 1 } } = {}) {
    this.roots = roots;
    this.siteRoot = siteRoot;
    this.workerUrl = workerUrl;
    this.shared = shared;
    this.own = own;
    this.ids = ids;
    this.mine = new Set(); // the ids of the computations this runtime made
    this.alone = null; // the page's own runtime for large batches (a shared runtime's)
    this.worker = null;
    this.ready = null;
    this.alive = false;
    this.pending = new Map();
    this.onRows = new Map();
    this.later = new Map(); // id -> resolve({json}) of a large batch whose JSON is still coming
    this.listeners = [];
    this.busy = null; // {large} while a computation runs
    this.idleSent = false;
    this.builtFor = null;
  }

  start() {
    if (this.ready) return this.ready;
    const files = runtimeFiles(this.roots.map((root) => root.dataset), this.siteRoot);
    this.ready = new Promise((resolve, reject) => {
      if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
        reject(new Error("unsupported"));
        return;
      }
      // each message of the worker's, by its type
      const receive = dispatcher(FROM_WORKER, {
        progress: (m) => this.listeners.forEach((f) => f(m.stage)),
        ready: (m) => {
          // how the runtime started: "running" (another page's, joined), "snapshot" (kept from an
          // earlier page), "fresh" or "fallback"
          if (!this.own) this.roots.forEach((root) => { root.dataset.runtimeStart = m.start || "fresh"; });
          this.builtFor = m.site; // the address the calculators' links are made from (SITE_URL)
          this.alive = true;
          resolve();
        },
        failed: (m) => reject(new Error(m.message)),
        "idle-done": () => this.onIdle?.(),
        rows: (m) => this.onRows.get(m.id)?.(m),
        result: (m) => {
          this.busy = null;
          // a large batch's JSON (for data-result) follows its totals in a "json" message
          if (m.later) m.json = new Promise((resolve) => this.later.set(m.id, resolve));
          this.answered(m);
        },
        page: (m) => this.answered(m),
        file: (m) => this.answered(m),
        json: (m) => {
          this.later.get(m.id)?.(m);
          this.later.delete(m.id);
        },
      });
      const onmessage = ({ data }) => receive(data);
      const onerror = (event) => {
        event.preventDefault?.();
        if (this.alive) this.died();
        else reject(new Error(event.message || "worker failed"));
      };
      // the worker the page's head started for a link with answers (early.mjs), or a new one
      const early = this.own ? null : takeEarly(files, this.shared);
      if (!this.own) this.roots.forEach((root) => { root.dataset.runtimeBegun = early ? "head" : "page"; });
      if (early) {
        this.worker = early.worker;
        early.handOver(onmessage, onerror);
      } else {
        try {
          this.worker = connect(this.workerUrl, files, this.shared);
        } catch (error) {
          reject(error);
          return;
        }
        this.worker.onmessage = onmessage;
        this.worker.onerror = onerror;
        this.send("init", files);
      }
      // last resort: a runtime that neither loads nor fails within this time is reported as failed
      setTimeout(() => reject(new Error("timeout")), LOAD_LIMIT_MS);
    });
    return this.ready;
  }

  // A message to the worker (protocol.mjs declares each type and its fields).
  send(type, fields) {
    this.worker.postMessage(message(TO_WORKER, type, fields));
  }

  // The answer to request `m.id`, to whoever waits for it.
  answered(m) {
    const done = this.pending.get(m.id);
    this.pending.delete(m.id);
    this.onRows.delete(m.id);
    done?.(m);
  }

  // The worker stopped after it was ready: every waiting request is answered as failed, and the
  // next computation starts a new runtime.
  died() {
    const pending = this.pending;
    this.pending = new Map();
    this.worker?.close();
    this.worker = null;
    this.ready = null;
    this.alive = false;
    this.busy = null;
    this.onRows = new Map();
    pending.forEach((done) => done({ ok: false, dead: true }));
    const later = this.later;
    this.later = new Map();
    later.forEach((resolve) => resolve({ json: null, dead: true }));
  }

  // After the first answer, once the browser is idle: let the worker keep a snapshot of the started
  // runtime for the next calculator page and the next visit (`onIdle` is called when it is done).
  whenIdle(onIdle) {
    if (this.idleSent || !this.worker) return;
    this.idleSent = true;
    this.onIdle = onIdle;
    const worker = this.worker;
    const send = () => worker.postMessage(message(TO_WORKER, "idle"));
    if (window.requestIdleCallback) window.requestIdleCallback(send, { timeout: 5000 });
    else setTimeout(send, 1000);
  }

  // A newer input cancels older work: a large batch still running is stopped with its worker, and
  // a new runtime answers the newer input (small computations simply finish first). On a shared
  // runtime a large batch goes to the page's own runtime, so that it can be stopped.
  async compute(name, input, lang, csv, onRows) {
    const large = Boolean(csv && csv.length > LARGE_CSV);
    if (this.alone?.busy?.large) this.alone.died();
    if (large && this.shared) {
      this.alone ??= new Runtime(this.roots, this.siteRoot, this.workerUrl, { shared: false, own: true, ids: this.ids });
      return this.alone.compute(name, input, lang, csv, onRows);
    }
    if (this.busy?.large) this.died();
    await this.start();
    return new Promise((resolve) => {
      const id = this.ids.next++;
      this.mine.add(id);
      this.pending.set(id, resolve);
      if (onRows) this.onRows.set(id, onRows);
      this.busy = { large };
      this.send("compute", { id, name, input, lang, csv });
    });
  }

  // A page of the fee table of a long answer, or one of its CSV files, kept in the worker that
  // computed the answer `of`.
  request({ type, ...fields }) {
    if (this.alone?.mine.has(fields.of)) return this.alone.request({ type, ...fields });
    if (!this.worker) return Promise.resolve(null);
    return new Promise((resolve) => {
      const id = this.ids.next++;
      this.pending.set(id, resolve);
      this.send(type, { id, ...fields });
    });
  }

  // A file of the answer of computation `id`: in the answer itself, or kept in the worker until asked
  // for (null once a newer computation has replaced it).
  file(answer, which, id) {
    return answer[which] ? Promise.resolve(answer[which])
      : this.request({ type: "file", of: id, which }).then((m) => (m ? m.text : null));
  }
}
