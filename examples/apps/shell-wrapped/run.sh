#!/bin/sh
# A start script as many images have one: it sets things up, then runs the app WITHOUT exec and has no trap.
# In a container this shell is PID 1: it has no SIGTERM handler, so SIGTERM is ignored, and the app (its child) never
# gets it. Every old pod then lives the whole grace period and is killed with SIGKILL.
# The fix is here, not in the manifest: `exec python3 ...` (or a trap that forwards SIGTERM, or an init like tini).
#
#     sh examples/apps/shell-wrapped/run.sh 8080      # or PORT=8080 sh run.sh
here=$(dirname "$0")
port=${1:-${PORT:-8080}}
echo "run.sh: starting the app on port $port" >&2
python3 "$here/../python-exits-at-once/app.py" --port "$port"
status=$?
echo "run.sh: the app exited with $status" >&2
exit $status
