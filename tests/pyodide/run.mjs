// Run the calculators' test suite inside Pyodide under Node.
//   node tests/pyodide/run.mjs PROJECT_DIR WHEEL...
// PROJECT_DIR holds tests/ (cases as JSON) and pyproject.toml; the wheels are installed with
// loadPackage, then pytest.main() runs in Python 3 as Pyodide ships it. Exit status is pytest's.
import { loadPyodide } from "pyodide";
import fs from "node:fs";
import path from "node:path";

const [project, ...wheels] = process.argv.slice(2);

function copyTree(pyodide, from, to) {
  pyodide.FS.mkdirTree(to);
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = `${to}/${entry.name}`;
    if (entry.isDirectory()) copyTree(pyodide, source, target);
    else pyodide.FS.writeFile(target, fs.readFileSync(source));
  }
}

const pyodide = await loadPyodide({ stdout: (s) => console.log(s), stderr: (s) => console.error(s) });
await pyodide.loadPackage(wheels.map((w) => path.resolve(w)), { messageCallback: () => {} });
copyTree(pyodide, project, "/project");
const status = await pyodide.runPythonAsync(`
import os, sys
os.chdir("/project")
sys.path.insert(0, "/project")
import pytest
print(f"Python {sys.version.split()[0]} on {sys.platform}")
int(pytest.main(["-p", "no:cacheprovider", "tests"]))
`);
process.exit(status);
