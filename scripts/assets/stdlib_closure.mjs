// Find the standard library the calculators use in Pyodide and write it as a zip of compiled modules.
//   node scripts/assets/stdlib_closure.mjs OUT.zip EXAMPLES_DIR WHEEL...
// Also writes each wheel compiled (OUT.zip-wheels/<its name>): the same wheel with each module as
// a .pyc this Python wrote in place of its source, so that the page imports the calculators without
// compiling them first.
// Starts the runtime as the page's worker does, both fresh and from a memory snapshot made as it
// makes one, unpacks the wheels as it does, imports calculators.api and answers every calculator from EXAMPLES_DIR
// (eligibility.json, review.json, orders.csv) in both languages, plus invalid input and an error
// crossing into JavaScript. Every standard-library module then in sys.modules goes into OUT.zip,
// compiled by this same Python (the runtime compiles .py at each start; a .pyc it only loads).
import { loadPyodide } from "pyodide";
import fs from "node:fs";
import path from "node:path";
import { installWheels } from "../../docs/assets/js/install-wheels.mjs";

const [out, examples, ...wheels] = process.argv.slice(2);
const quiet = { stdout: () => {}, stderr: () => {} };

// the wheels unpacked exactly as the page's worker does
const installFiles = (pyodide, paths) => installWheels(pyodide, paths.map((wheel) => fs.readFileSync(wheel)));

// the worker's snapshot: made in a runtime with the calculators wheel only, after one answer
async function snapshot() {
  const pyodide = await loadPyodide({ ...quiet, _makeSnapshot: true });
  installFiles(pyodide, wheels.slice(0, 1));
  pyodide.runPython(`
import calculators.api
calculators.api.compute_json("eligibility", "{}", "zh", None)
`);
  return pyodide.makeMemorySnapshot();
}

async function exercise(options) {
  const pyodide = await loadPyodide({ ...quiet, ...options });
  installFiles(pyodide, wheels);
  const api = pyodide.pyimport("calculators.api");
  const read = (name) => fs.readFileSync(path.join(examples, name), "utf-8");
  for (const lang of ["zh", "en"]) {
    api.compute_json("eligibility", read("eligibility.json"), lang, undefined);
    api.compute_json("review", read("review.json"), lang, undefined);
    api.compute_json("fees", "{}", lang, read("orders.csv"));
    // a batch large enough for the worker's progress callback (a JavaScript function) to be called
    const rows = Array.from({ length: 10_001 }, (_, i) => `o${i},2026-03-01,10.00`).join("\n");
    api.compute_json("fees", "{}", lang, `id,date,amount\n${rows}\n`, () => {});
    api.compute_json("eligibility", "{not json", lang, undefined);
    api.compute_json("fees", "{}", lang, "id,date\n1,not-a-date\n");
  }
  try {
    pyodide.runPython("raise ValueError('an error crossing into JavaScript')");
  } catch {
    // expected: the traceback machinery is now imported too
  }
  // the standard-library files behind every module now imported (before this script imports more)
  const files = pyodide.runPython(`
import sys
[m.__file__[len("/lib/python314.zip/"):] for m in list(sys.modules.values())
 if (getattr(m, "__file__", None) or "").startswith("/lib/python314.zip/")]
`).toJs();
  return { pyodide, files };
}

const restored = await exercise({ _loadSnapshot: await snapshot() }); // a later page's start
const { pyodide, files } = await exercise({}); // a first page's start
pyodide.globals.set("files", pyodide.toPy([...new Set([...restored.files, ...files])]));
const count = pyodide.runPython(`
import importlib.util, marshal, zipfile

PREFIX = "/lib/python314.zip/"
# as \`python -OO\` compiles: without docstrings and assert statements, which nothing the calculators
# run reads or needs (the suite inside Pyodide runs against this zip): 15% fewer bytes on the wire
OPTIMIZE = 2
source = zipfile.ZipFile(PREFIX.rstrip("/"))
# Stored, not deflated: the host compresses the whole file (gzip or brotli) far better.
with zipfile.ZipFile("/out.zip", "w", zipfile.ZIP_STORED) as target:
    for name in sorted(files):
        text = source.read(name)
        code = compile(text, PREFIX + name, "exec", dont_inherit=True, optimize=OPTIMIZE)
        # a hash-based, unchecked .pyc: the same source always gives the same bytes
        pyc = importlib.util.MAGIC_NUMBER + (1).to_bytes(4, "little") + importlib.util.source_hash(text)
        target.writestr(zipfile.ZipInfo(name + "c", (1980, 1, 1, 0, 0, 0)), pyc + marshal.dumps(code))
len(files)
`);
fs.writeFileSync(out, pyodide.FS.readFile("/out.zip"));
console.log(`${count} standard-library modules`);

// Each wheel with its modules compiled: every .py replaced by its .pyc (hash-based, unchecked: the same
// source gives the same bytes; beside its package's other files, where the import system loads a
// module without source), and the wheel's RECORD saying so; every other member as it was. Compiled
// modules without their sources cost about a third more bytes than the sources; with them, twice.
fs.mkdirSync(`${out}-wheels`, { recursive: true });
for (const wheel of wheels) {
  pyodide.FS.writeFile("/wheel.whl", fs.readFileSync(wheel));
  pyodide.runPython(`
import base64, hashlib, importlib.util, marshal, zipfile

def _record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"

with (zipfile.ZipFile("/wheel.whl") as _source,
      zipfile.ZipFile("/compiled.whl", "w", zipfile.ZIP_DEFLATED) as _target):
    _record = next(n for n in _source.namelist() if n.endswith(".dist-info/RECORD"))
    _added = []
    for _info in _source.infolist():
        if _info.filename == _record:
            continue
        _data = _source.read(_info)
        if not _info.filename.endswith(".py"):
            _target.writestr(_info, _data)
            continue
        _code = compile(_data, _info.filename, "exec", dont_inherit=True, optimize=OPTIMIZE)
        _pyc = (importlib.util.MAGIC_NUMBER + (1).to_bytes(4, "little") + importlib.util.source_hash(_data)
                + marshal.dumps(_code))
        _target.writestr(zipfile.ZipInfo(_info.filename + "c", (1980, 1, 1, 0, 0, 0)), _pyc, zipfile.ZIP_DEFLATED)
        _added.append(_record_line(_info.filename + "c", _pyc))
    _kept = [line for line in _source.read(_record).decode().splitlines()
             if not line.startswith(_record + ",") and not line.split(",")[0].endswith(".py")]
    _target.writestr(_source.getinfo(_record), "".join(f"{line}\\n" for line in [*_kept, *_added, _record + ",,"]))
`);
  fs.writeFileSync(path.join(`${out}-wheels`, path.basename(wheel)), pyodide.FS.readFile("/compiled.whl"));
}
