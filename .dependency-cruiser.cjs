// Dependency rules for socketlab: the "Layout" section of the design, checked on every `bun run test`.
// Run: bunx depcruise --config .dependency-cruiser.cjs bench clients servers lib protocol netem test
// Paths are regular expressions on repo-relative paths (forward slashes).
//
// Layers in bench/, top to bottom (imports point downward only):
//   cli -> scenarios, run -> load, stats -> (nothing in bench)
//   cli/run/scenarios -> report -> model -> catalog, stats
//   tools: anything in bench except cli
// Only bench/run/bind.ts names a concrete client or server module.

/** Test code: *.test.ts anywhere, and everything under test/ (support helpers, fixtures). */
const TESTS = ["\\.test\\.ts$", "^test/"];

/** Everything that belongs to this repository (as opposed to node_modules and built-ins). */
const REPO = "^(bench|clients|servers|lib|protocol|netem|test)/";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    // ---- cycles --------------------------------------------------------------------------
    {
      name: "no-circular",
      severity: "error",
      comment:
        "This import is part of a cycle. The layers only work if imports point one way; a cycle (type-only imports " +
        "included: tsPreCompilationDeps is on) means two modules must change together. Move the shared piece down a " +
        "layer (types to model/, data to catalog.ts, helpers to lib/) or invert the dependency.",
      from: {},
      to: { circular: true },
    },

    // ---- bench/ layers -------------------------------------------------------------------
    {
      name: "catalog-is-data-only",
      severity: "error",
      comment:
        "bench/catalog.ts is data only (labels, subjects, colours, round trips, capabilities) and sits at the " +
        "bottom of bench/: it may not import any bench, client, server or netem module. Everything that names a " +
        "driver reads it; it reads nothing of theirs.",
      from: { path: "^bench/catalog\\.ts$" },
      to: { path: REPO, pathNot: "^(lib|protocol)/" },
    },
    {
      name: "load-stats-know-no-transport",
      severity: "error",
      comment:
        "bench/load/ and bench/stats/ know no transport and sit below model/: they may import only lib/, " +
        "protocol/ and each other (plus packages and built-ins). Pass what they need in as arguments or callbacks.",
      from: { path: "^bench/(load|stats)/", pathNot: TESTS },
      to: { path: REPO, pathNot: ["^bench/(load|stats)/", "^(lib|protocol)/"] },
    },
    {
      name: "model-imports-only-below",
      severity: "error",
      comment:
        "bench/model/ (spec and result types, figures, combine, result file, compare, assertions, knee) may import " +
        "only catalog.ts, stats/, lib/, protocol/ and netem/profile.ts. It must not reach up into run/, scenarios/, " +
        "report/, cli/ or load/, nor into clients/servers.",
      from: { path: "^bench/model/", pathNot: TESTS },
      to: {
        path: REPO,
        pathNot: ["^bench/(model|stats)/", "^bench/catalog\\.ts$", "^bench/result\\.schema\\.json$", "^(lib|protocol)/", "^netem/profile\\.ts$"],
      },
    },
    {
      name: "report-reads-model-and-catalog",
      severity: "error",
      comment:
        "bench/report/ renders results: it reads model/ and catalog.ts (and lib/, and stats/ to decode a histogram " +
        "it draws), never run/, scenarios/, load/, clients/ or servers/. If a section needs a number, model/ should compute it.",
      from: { path: "^bench/report/", pathNot: TESTS },
      to: { path: REPO, pathNot: ["^bench/(report|model|stats)/", "^bench/catalog\\.ts$", "^lib/"] },
    },
    {
      name: "scenarios-run-not-up",
      severity: "error",
      comment:
        "bench/scenarios/ and bench/run/ sit below the entry points: they may not import cli/ or tools/. " +
        "What cli/ and run/ both need (option types, defaults) belongs in model/ or lib/.",
      from: { path: "^bench/(scenarios|run)/", pathNot: TESTS },
      to: { path: "^bench/(cli|tools)/" },
    },
    {
      name: "tools-not-to-cli",
      severity: "error",
      comment:
        "bench/tools/ (peers, scale, micro) may use anything in bench except cli/: cli/ is a thin shell around " +
        "run() and its parsing and exit codes are not an API. Call scenarios/ and run/ directly.",
      from: { path: "^bench/tools/", pathNot: TESTS },
      to: { path: "^bench/cli/" },
    },
    {
      name: "only-bind-imports-clients-servers",
      severity: "error",
      comment:
        "bench/run/bind.ts is the one bench module that imports clients/ or servers/ (types included). cli/, " +
        "scenarios/, the rest of run/ and tools/ go through bind.ts (or run/server-process.ts), so adding a " +
        "transport touches one binding. (catalog, load, stats, model and report are kept out of clients/ and " +
        "servers/ by their own rules above.)",
      from: { path: "^bench/(cli|scenarios|run|tools)/", pathNot: ["^bench/run/bind\\.ts$", ...TESTS] },
      to: { path: "^(clients|servers)/" },
    },

    // ---- outside bench/ ------------------------------------------------------------------
    {
      name: "lib-protocol-are-leaves",
      severity: "error",
      comment:
        "lib/ (argument parsing, errors, child processes, socket writer) and protocol/ (what both ends share) are " +
        "the bottom of the repo: they must not import bench/, clients/ or servers/.",
      from: { path: "^(lib|protocol)/", pathNot: TESTS },
      to: { path: "^(bench|clients|servers)/" },
    },
    {
      name: "not-to-test",
      severity: "error",
      comment:
        "Production code must not import test files or test/ helpers: they are not shipped, and importing them " +
        "drags test-only code (and devDependencies) into the harness.",
      from: { pathNot: TESTS },
      to: { path: TESTS },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      comment:
        "This import resolves to no file. If it is a package, add it to package.json; otherwise fix the path. " +
        "(An unresolved import would also hide a layer violation from the rules above.)",
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: "not-to-dev-dep",
      severity: "error",
      comment:
        "Non-test code imports a devDependency: a production install (bun install --production) would not have it. " +
        "Move the package to dependencies in package.json, or keep the import in tests.",
      // The schema-types tool regenerates a committed file during development; it never runs in production.
      from: { path: REPO, pathNot: [...[TESTS].flat(), "^bench/tools/schema-types\\.ts$"] },
      to: { dependencyTypes: ["npm-dev"], pathNot: "node_modules/@types/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // node_modules: listed as dependencies (so not-to-dev-dep can see them) but never cruised into.
    exclude: { path: ["^reports/", "__snapshots__/"] },
    // See type-only imports (`import type`, inline `type` specifiers) as dependencies, so cycles through types count.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    // Bun's own modules are built-ins, like node:fs.
    builtInModules: { add: ["bun", "bun:test", "bun:ffi", "bun:sqlite", "bun:jsc"] },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".js", ".mjs", ".cjs", ".json"],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
