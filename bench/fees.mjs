// Fees over the orders in each CSV file, inside Pyodide (Node). Prints {file: median seconds}.
//   node bench/fees.mjs RUNS ONBOARDED_ON CSV... -- WHEEL...
import { loadPyodide } from "pyodide";
import fs from "node:fs";
import path from "node:path";

const args = process.argv.slice(2);
const split = args.indexOf("--");
const [runs, onboardedOn, ...files] = args.slice(0, split);
const wheels = args.slice(split + 1).map((w) => path.resolve(w));
const pyodide = await loadPyodide();
await pyodide.loadPackage(wheels, { messageCallback: () => {} });
const timings = {};
for (const file of files) {
  pyodide.globals.set("TEXT", fs.readFileSync(file, "utf-8"));
  timings[path.basename(file)] = pyodide.runPython(`
import statistics, time
from calculators.api import fees_from_csv
samples = []
for _ in range(${Number(runs)}):
    start = time.perf_counter()
    fees_from_csv(TEXT, "${onboardedOn}")
    samples.append(time.perf_counter() - start)
statistics.median(samples)
`);
}
console.log(JSON.stringify(timings));
