import { RULES } from './check/rules.ts';
import { EXIT, EXIT_CODE_TABLE } from './core/errors.ts';
import { HARNESS_VERSION } from './core/version.ts';
import { DEFAULT_LOAD_PROFILE } from './model/load-profile.ts';
import { QUICK } from './runner/parse-args.ts';
import { DEFAULT_SCENARIO_NAMES, SCENARIO_NAMES } from './scenarios/catalog.ts';
import { DEFAULT_VARIANT_NAMES, VARIANT_NAMES } from './variants/catalog.ts';

const extras = (all: readonly string[], defaults: readonly string[]) => all.filter((n) => !defaults.includes(n));

/** What `--version` prints: one line, on stdout. */
export const VERSION_LINE = `drainlab ${HARNESS_VERSION}\n`;

const code = (n: number, text: string) => `  ${String(n).padEnd(4)}${text}`;

/** Every variable the harness reads, each with when it matters. */
const ENVIRONMENT = `Environment:
  PATH                      where docker, kind and kubectl (--platform kind) and k6 (--load k6 on local) are found
  DRAINLAB_WORKLOAD_IMAGE   with --context: the workload image that cluster pulls (build workloads/Dockerfile, push it)
  KUBECONFIG                with --context: the kubeconfig file(s) to read (default ~/.kube/config)
  DRAINLAB_STATE_DIR        where runs record their pod process groups for clean (default <tmp>/drainlab/state)
  DRAINLAB_NO_REAPER=1      start no watchdog process that kills a killed run's pods (npm run clean still can)
  CI                        when set: plain progress lines on stderr instead of the live display
`;

const USAGE_FORMS = `Run it as npx drainlab <command> (output without npm's banner), npm run -s <command> -- [options],
or npm run <command> -- [options] (npm then prints a two-line banner on stdout first).`;

export const TOP_HELP = `Usage: drainlab <command> [options]

Commands:
  experiment    run variants under scenarios while load runs, and write a report (the main command)
  report        rebuild the report of a run folder from its results.json; --compare another run
  manifests     write (or --check) manifests/variants/*.yaml from the variant definitions
  check         read Deployment manifests and report unsafe shutdown settings with their reason and fix (static)
  clean         remove what earlier runs left behind (processes, state files, the namespaces they labelled)

Options:
  -h, --help     this text; drainlab <command> --help describes one command
  --version      print the version (${HARNESS_VERSION})

${USAGE_FORMS}

Exit codes (all commands):
${EXIT_CODE_TABLE.map((row) => code(row.code, row.meaning)).join('\n')}

${ENVIRONMENT}`;

export const EXPERIMENT_HELP = `Usage: drainlab experiment [options]     (or: npm run experiment -- [options])

Runs every variant under every scenario while load runs, and writes a report.

Options (every platform):
  --config FILE           experiment file (YAML or JSON): custom variants, scenario and load settings; flags override it
  --platform local|kind   where to run (default local: emulated cluster, real processes)
  --variants a,b          variants to run (default: ${DEFAULT_VARIANT_NAMES.join(', ')};
                          also in the catalog: ${extras(VARIANT_NAMES, DEFAULT_VARIANT_NAMES).join(', ')})
  --scenarios a,b         scenarios to run (default: ${DEFAULT_SCENARIO_NAMES.join(', ')};
                          also in the catalog: ${extras(SCENARIO_NAMES, DEFAULT_SCENARIO_NAMES).join(', ')})
  --repeat N              repetitions of each variant x scenario (default 1)
  --quick                 a small fast subset: ${QUICK.variants.join(' and ')} under ${QUICK.scenarios.join(', ')}
  --course                every catalog variant under every catalog scenario, so the report's course claims are
                          all measured (${VARIANT_NAMES.length} x ${SCENARIO_NAMES.length} cells)
  --rate N                requests per second (default ${DEFAULT_LOAD_PROFILE.rate})
  --duration S            minimum seconds of load after the disruption, e.g. 10 or 10s or 1m (default ${DEFAULT_LOAD_PROFILE.durationSeconds})
  --keep-alive on|off     reuse connections per virtual user (default on)
  --method POST|GET       HTTP method of the measured requests (default POST)
  --work-ms N|MIN-MAX     server work time per request (default ${DEFAULT_LOAD_PROFILE.workMs.min}-${DEFAULT_LOAD_PROFILE.workMs.max})
  --timeout-ms N          request timeout (default ${DEFAULT_LOAD_PROFILE.timeoutMs})
  --max-vus N             virtual users (connections) at most; an arrival finding all busy is dropped and counted
                          (default ${DEFAULT_LOAD_PROFILE.maxVUs}, more for rates that need it)
  --parallel N            cells running at once (default 4)
  --seed N                seed for the load's random work times and, with --repeat, the shuffled cell order
                          (default random, recorded)
  --out DIR               the run folder (default reports/<run-id>)
  --load builtin|k6       load engine (default builtin on local, k6 on kind; kind takes only k6; with --context,
                          builtin sends from this machine to the Service address, as on scripts/devcluster)
  --fail-on-loss          exit ${EXIT.lostRequests} when a recommended (★) variant lost requests (CI gate)
  --dry-run               print what a real run would do on stdout (kind config, manifests, k6 invocation); start
                          nothing. Only the plan goes to stdout, so it can be redirected to a file
  -h, --help              this text
  --version               print the version

Local platform only (--platform local, the default):
  --time-scale X          multiply every modelled delay, sleep and grace period (default 1; 0.25 = 4x faster);
                          a real kubelet cannot be sped up, so kind and --context take only 1

Your own app (runs it as given and with the course's fixes, proposes the fix as a patch); on local:
  --app-command "CMD"     its command line (split like a shell, no expansion); {port} and $PORT are the pod's port
  --app-ready PATH        readiness path, 2xx when it serves (default /)
  --app-request "M PATH"  the load's request, POST or GET (default GET /); --app-body TEXT: its JSON body
  --app-env NAME=VALUE    environment of every pod (repeatable)
  --app-ready-timeout S   how long it may take to become ready (default 20); --app-shutdown-bound S: how long after
                          SIGTERM before SIGKILL when measuring it (default 35)
  on a real cluster (--platform kind, with or without --context), with --app-request and --app-body as above:
  --app-manifest FILE     your Deployment and its Service as YAML (repeatable; helm template / kustomize build output)
  --app-container NAME    the container that serves, when the Service could reach two
  --app-image IMAGE       or your image: drainlab writes its Deployment and Service (with --app-port N, default
                          8080, given to it in PORT; --app-ready and --app-env as above)

Kind platform only (--platform kind):
  --keep-cluster          keep the cluster the run created
  --reuse-cluster         run on the harness's kind cluster if it exists (it is kept afterwards)
  --kube-proxy-mode M     kube-proxy of a created cluster: iptables (default), nftables or ipvs (deprecated since 1.35)
  --context NAME          run on an existing kubeconfig context instead of a kind cluster (needs the flag below and
                          DRAINLAB_WORKLOAD_IMAGE; the three cluster flags above do not apply to it)
  --i-understand-this-is-not-a-harness-cluster
                          confirm that --context may create and delete namespaces there

A flag given for the other platform is bad input (exit ${EXIT.badInput}), reported before anything starts.

Ctrl-C:
  The first Ctrl-C (or SIGTERM) stops cleanly: running cells stop their load and tear down their pods (kind: the
  cluster or namespaces), and the run folder is written with what was measured; cells are marked interrupted. A
  second Ctrl-C exits at once, killing every pod process on the way out. Either way the exit code is ${EXIT.interrupted}.

Exit codes:
${EXIT_CODE_TABLE.map((row) => code(row.code, row.meaning)).join('\n')}

${ENVIRONMENT}
${USAGE_FORMS}
`;

export const REPORT_HELP = `Usage: drainlab report <run-dir> [--compare <other-run-dir>]     (or: npm run report -- ...)

Rebuilds index.html, summary.md and junit.xml of a run folder from its results.json (also of an interrupted or
crashed run, saying which cells are incomplete), and prints the verdict table.

Options:
  --compare DIR   also write <run-dir>/compare.html: this run against the run in DIR
  -h, --help      this text
  --version       print the version

Platforms: any; a run folder holds everything the report needs.
Ctrl-C: stops at once; files are written atomically, so each is either the old or the new one.

Exit codes:
${code(EXIT.ok, 'the report was written')}
${code(EXIT.failure, 'an internal error')}
${code(EXIT.badInput, 'bad input: no such run folder, or no readable results.json in it')}
${code(EXIT.interrupted, 'interrupted by Ctrl-C')}
`;

export const MANIFESTS_HELP = `Usage: drainlab manifests [--check]     (or: npm run manifests [-- --check])

Writes manifests/variants/*.yaml from the variant definitions in harness/variants/catalog.ts.

Options:
  --check       write nothing; exit ${EXIT.failure} when a file is out of date (for CI)
  -h, --help    this text
  --version     print the version

Platforms: none; it only writes files.

Exit codes:
${code(EXIT.ok, 'written, or (--check) up to date')}
${code(EXIT.failure, '--check: a file is out of date; or an internal error')}
${code(EXIT.badInput, 'bad input: an unknown argument')}
`;

export const CHECK_HELP = `Usage: drainlab check <file>... | - [options]     (or: npm run check -- <file>... | -)

Reads Deployments, StatefulSets and DaemonSets (multi-document YAML such as helm template or kustomize build output,
or kind: List; - reads standard input) and reports shutdown settings that lose requests, each with its severity, the
reason (with the course fact it comes from) and the fix as a strategic-merge patch (kubectl patch --type strategic).
Nothing is deployed: what the app itself does on SIGTERM is not visible here (npm run experiment measures it).

Options:
  --format text|json|sarif          output on stdout: text for people (default), json for scripts, sarif (2.1.0) for
                                    code-scanning annotations in CI
  --fail-on error|warning|info|never
                                    the least severe finding that makes the exit code ${EXIT.failure} (default error)
  --shutdown-seconds N              the time the app needs after SIGTERM, for workloads without the pod-template
                                    annotation drainlab/shutdown-seconds: "N" (grace-too-short needs one of them)
  -h, --help                        this text
  --version                         print the version

Rules (default severity; some findings are one lower, and their message says why):
${RULES.map((r) => `  ${r.id.padEnd(33)} ${r.severity.padEnd(9)}${r.title}`).join('\n')}

"Service-backed" means a Service in the input selects the pod template's labels. With no Service in the input at all,
a container that declares a port is taken as served, and those rules report one severity lower.

Platforms: none; it only reads files.

Exit codes:
${code(EXIT.ok, 'no finding at or above --fail-on')}
${code(EXIT.failure, 'a finding at or above --fail-on; or an internal error')}
${code(EXIT.badInput, 'bad input: a missing file, invalid YAML, no Deployment/StatefulSet/DaemonSet, a bad option')}
`;

export const CLEAN_HELP = `Usage: drainlab clean [--context NAME --i-understand-this-is-not-a-harness-cluster]
       (or: npm run clean [-- --context NAME --i-understand-this-is-not-a-harness-cluster])

Removes what earlier runs left behind and prints what it removed:
  - local: the pod process groups of runs whose harness is gone (only processes it can prove a run started) and
    their state files; a run still going is left alone;
  - kind: on the harness's kind cluster (named drainlab), every namespace the harness labelled; the cluster itself is
    kept (npm run cluster:down deletes it);
  - with --context NAME: the same namespaces on that kubeconfig context instead of the kind cluster.
Only namespaces labelled app.kubernetes.io/managed-by=drainlab with a drainlab/run-id are deleted.

Options:
  --context NAME    clean this kubeconfig context instead of the harness's kind cluster (needs the flag below)
  --i-understand-this-is-not-a-harness-cluster
                    confirm that --context may delete namespaces there
  -h, --help        this text
  --version         print the version

Ctrl-C: stops at once; deletions already asked for go on in the cluster.

Exit codes:
${code(EXIT.ok, 'cleaned, or nothing to clean')}
${code(EXIT.failure, 'an internal error')}
${code(EXIT.badInput, 'bad input: an unknown argument, --context without the confirmation, a context not in the kubeconfig')}
${code(EXIT.environment, 'the cluster could not be cleaned (not reachable, or it refused)')}

Environment:
  KUBECONFIG                with --context: the kubeconfig file(s) to read (default ~/.kube/config)
  PATH                      where kind is found (without --context)
  DRAINLAB_STATE_DIR        where runs record their pod process groups (default <tmp>/drainlab/state)
`;
