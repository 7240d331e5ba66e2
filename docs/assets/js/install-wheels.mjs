// Unpack pure-Python wheels into Pyodide's site-packages (no loadPackage: a memory snapshot needs
// none of its references). Shared by the page's worker and the build's standard-library closure,
// so that the build measures exactly what the page runs.
export function installWheels(pyodide, wheels) {
  wheels.forEach((bytes, i) => pyodide.FS.writeFile(`/tmp/wheel-${i}.whl`, bytes));
  pyodide.runPython(`
import importlib, sys, zipfile
_site = next(p for p in sys.path if p.endswith("site-packages"))
for _i in range(${wheels.length}):
    zipfile.ZipFile(f"/tmp/wheel-{_i}.whl").extractall(_site)
importlib.invalidate_caches()
del _site, _i
`);
}
