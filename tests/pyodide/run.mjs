// Run the calculators' test suite inside Pyodide under Node.
//   node tests/pyodide/run.mjs PROJECT_DIR STDLIB_ZIP WHEEL...
// PROJECT_DIR holds tests/ (cases as JSON), examples/, scripts/paths.py and pyproject.toml. The runtime starts with
// STDLIB_ZIP, the trimmed standard library the site ships; the test tools get the rest of the runtime's own
// standard library through stdlib_guard.py, which fails the run if the calculators import any of it.
// The wheels are installed with loadPackage, then pytest.main() runs in Python 3 as Pyodide ships
// it. Exit status is pytest's, or 1 when the trimmed standard library lacks a module.
import { loadPyodide } from "pyodide";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const [project, stdlib, ...wheels] = process.argv.slice(2);
const here = path.dirname(fileURLToPath(import.meta.url));
const fullStdlib = fileURLToPath(new URL("python_stdlib.zip", import.meta.resolve("pyodide")));

function copyTree(pyodide, from, to) {
  pyodide.FS.mkdirTree(to);
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = `${to}/${entry.name}`;
    if (entry.isDirectory()) copyTree(pyodide, source, target);
    else pyodide.FS.writeFile(target, fs.readFileSync(source));
  }
}

const pyodide = await loadPyodide({
  stdLibURL: path.resolve(stdlib), stdout: (s) => console.log(s), stderr: (s) => console.error(s),
});
pyodide.FS.writeFile("/lib/full_stdlib.zip", fs.readFileSync(fullStdlib));
pyodide.FS.mkdirTree("/guard");
pyodide.FS.writeFile("/guard/stdlib_guard.py", fs.readFileSync(path.join(here, "stdlib_guard.py")));
pyodide.runPython("import sys; sys.path.append('/guard'); import stdlib_guard; stdlib_guard.install()");
await pyodide.loadPackage(wheels.map((w) => path.resolve(w)), { messageCallback: () => {} });
copyTree(pyodide, project, "/project");
const status = await pyodide.runPythonAsync(`
import os, sys
os.chdir("/project")
sys.path.insert(0, "/project")
import pytest
import stdlib_guard
print(f"Python {sys.version.split()[0]} on {sys.platform}, with the site's trimmed standard library")
int(pytest.main(["-p", "no:cacheprovider", "tests"])) or stdlib_guard.check()
`);
process.exit(status);
