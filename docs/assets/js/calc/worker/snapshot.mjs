// The worker's memory snapshot of a started runtime, kept in Cache Storage so that a later page starts from it.

// Made in a second runtime when the page is idle after its first answer (Pyodide's _makeSnapshot),
// with the calculators wheel (the first of the wheels) installed and imported. Kept under a key
// naming the runtime, the standard library and that wheel (all versioned or content-hashed URLs, so
// a new release never meets an old snapshot), with its SHA-256; read back only if the digest
// matches, and any failure to restore falls back to a normal start.
import { installWheels } from "../../install-wheels.mjs";

export const SNAPSHOT_CACHE = "calc-runtime-snapshot-v1";

// Whether this browser can keep a snapshot (Cache Storage and digests: secure contexts only).
export function canKeepSnapshots() {
  return Boolean(self.caches && crypto.subtle);
}

async function sha256(bytes) {
  return Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
}

// Its bytes, once their digest is checked: a damaged snapshot is refused, never restored.
async function verified(response) {
  const bytes = new Uint8Array(await response.arrayBuffer());
  if ((await sha256(bytes)) !== response.headers.get("x-sha256")) throw new Error("damaged snapshot");
  return bytes;
}

// The snapshot of the runtime at `indexURL` with the standard library at `stdLibURL` and `wheels`.
// `restoring` is true while a restore is tried: errors then are the snapshot's, not the runtime's.
export class RuntimeSnapshot {
  constructor({ indexURL, stdLibURL, wheels }) {
    const id = encodeURIComponent(JSON.stringify([indexURL, stdLibURL || "", wheels[0] || ""]));
    this.key = new URL(`__calc-snapshot__?${id}`, indexURL).href;
    this.wheel = wheels[0];
    this.restoring = false;
  }

  // The stored snapshot's response (its body not yet read), or null.
  async find() {
    try {
      if (!canKeepSnapshots()) return null;
      return (await (await caches.open(SNAPSHOT_CACHE)).match(this.key)) || null;
    } catch {
      return null;
    }
  }

  async drop() {
    try {
      await (await caches.open(SNAPSHOT_CACHE)).delete(this.key);
    } catch {
      // nothing to drop
    }
  }

  // A runtime restored from the stored snapshot (`found`: the promise of find(), when begun earlier),
  // with how it started: {pyodide, start: "snapshot"}; {pyodide: null, start: "fresh"} when none is
  // stored, "fallback" when it could not be restored (it is dropped then).
  async restore(loadPyodide, options, found = this.find()) {
    const stored = await found;
    if (!stored) return { pyodide: null, start: "fresh" };
    this.restoring = true;
    try {
      // the snapshot is read and checked while the runtime compiles and fetches its standard library
      const pyodide = await loadPyodide({ ...options, _loadSnapshot: verified(stored) });
      pyodide.runPython("import calculators.api"); // present in the restored memory
      return { pyodide, start: "snapshot" };
    } catch {
      await this.drop();
      return { pyodide: null, start: "fallback" };
    } finally {
      this.restoring = false;
    }
  }

  // Make and keep the snapshot, unless one is kept already; `download(url)` gives a wheel's bytes.
  // Whether one was made.
  async make(loadPyodide, options, download) {
    const cache = await caches.open(SNAPSHOT_CACHE);
    if (await cache.match(this.key)) return false;
    const pyodide = await loadPyodide({ ...options, _makeSnapshot: true });
    installWheels(pyodide, [await download(this.wheel)]); // from the HTTP cache
    // the policy, read and kept in memory (in the calculators' default language)
    pyodide.runPython(`
import calculators.api
calculators.api.compute_json("eligibility", "{}")
`);
    const snapshot = pyodide.makeMemorySnapshot();
    const headers = { "content-type": "application/octet-stream", "x-sha256": await sha256(snapshot) };
    await cache.put(this.key, new Response(snapshot, { headers }));
    return true;
  }
}
