/**
 * The floors of src/ (docs/ARCHITECTURE.md), bottom to top. A module imports
 * from its own floor or from a lower floor's index.ts, never upwards and never
 * into another floor's internals. `npm run lint` runs this (depcruise src).
 */
const FLOORS = ['wire', 'read', 'lint', 'compose', 'repair', 'send', 'tools'];

/** One rule per floor: nothing above it. */
const upward = FLOORS.slice(0, -1).map((floor, i) => ({
  name: `no-upward-from-${floor}`,
  comment: `${floor} may import only ${FLOORS.slice(0, i).join(', ') || 'nothing of ours'} (and itself)`,
  severity: 'error',
  from: { path: `^src/${floor}/` },
  to: { path: `^src/(${FLOORS.slice(i + 1).join('|')})/` },
}));

module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'only-through-index',
      comment:
        "another floor is entered through its index.ts; a dynamic import() for lazy loading (cold start of the sendmail shim, optional converters) is the one exception",
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: {
        path: '^src/([^/]+)/',
        pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$'],
        dependencyTypesNot: ['dynamic-import'],
      },
    },
    {
      name: 'public-index-uses-floors',
      comment: 'src/index.ts exports from the floors’ index.ts files only',
      severity: 'error',
      from: { path: '^src/index\\.ts$' },
      to: { path: '^src/[^/]+/', pathNot: '^src/[^/]+/index\\.ts$' },
    },
    {
      name: 'no-floor-imports-public-index',
      severity: 'error',
      from: { path: '^src/[^/]+/' },
      to: { path: '^src/index\\.ts$' },
    },
    {
      name: 'no-circular-across-files',
      comment: 'a cycle is two modules that each need the other: one of them is on the wrong floor',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
