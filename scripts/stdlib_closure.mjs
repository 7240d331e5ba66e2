// Find the standard library the calculators use in Pyodide and write it as a zip of compiled modules.
//   node scripts/stdlib_closure.mjs OUT.zip EXAMPLES_DIR WHEEL...
// Starts the runtime as the page's worker does, loads the
// wheels with loadPackage, imports calculators.api and answers every calculator from EXAMPLES_DIR
// (eligibility.json, review.json, orders.csv) in both languages, plus invalid input and an error
// crossing into JavaScript. Every standard-library module then in sys.modules goes into OUT.zip,
// compiled by this same Python (the runtime compiles .py at each start; a .pyc it only loads).
import { loadPyodide } from "pyodide";
import fs from "node:fs";
import path from "node:path";

const [out, examples, ...wheels] = process.argv.slice(2);
const quiet = { stdout: () => {}, stderr: () => {} };

async function exercise(options) {
  const pyodide = await loadPyodide({ ...quiet, ...options });
  await pyodide.loadPackage(wheels.map((w) => path.resolve(w)), { messageCallback: () => {} });
  const api = pyodide.pyimport("calculators.api");
  const read = (name) => fs.readFileSync(path.join(examples, name), "utf-8");
  for (const lang of ["zh", "en"]) {
    api.compute_json("eligibility", read("eligibility.json"), lang, undefined);
    api.compute_json("review", read("review.json"), lang, undefined);
    api.compute_json("fees", "{}", lang, read("orders.csv"));
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

const { pyodide, files } = await exercise({});
pyodide.globals.set("files", pyodide.toPy(files));
const count = pyodide.runPython(`
import importlib.util, marshal, zipfile

PREFIX = "/lib/python314.zip/"
source = zipfile.ZipFile(PREFIX.rstrip("/"))
# Stored, not deflated: the host compresses the whole file (gzip or brotli) far better.
with zipfile.ZipFile("/out.zip", "w", zipfile.ZIP_STORED) as target:
    for name in sorted(files):
        text = source.read(name)
        code = compile(text, PREFIX + name, "exec", dont_inherit=True)
        # a hash-based, unchecked .pyc: the same source always gives the same bytes
        pyc = importlib.util.MAGIC_NUMBER + (1).to_bytes(4, "little") + importlib.util.source_hash(text)
        target.writestr(zipfile.ZipInfo(name + "c", (1980, 1, 1, 0, 0, 0)), pyc + marshal.dumps(code))
len(files)
`);
fs.writeFileSync(out, pyodide.FS.readFile("/out.zip"));
console.log(`${count} standard-library modules`);
