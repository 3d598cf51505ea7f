# Sourced by .ci/run and bin/ scripts: exports JAVA_HOME pointing at a JDK >= 21.
# The machine's default java may be 17; look under /usr/lib/jvm, install one only if none is there.
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p'; }
pick_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(java_major "$JAVA_HOME")" -ge 21 ] 2>/dev/null; then
    echo "$JAVA_HOME"; return
  fi
  local best="" best_v=0 d v
  for d in /usr/lib/jvm/*/; do
    d=${d%/}
    [ -x "$d/bin/javac" ] || continue
    v=$(java_major "$d" 2>/dev/null || echo 0)
    if [ "${v:-0}" -ge 21 ] 2>/dev/null && [ "$v" -gt "$best_v" ]; then best=$d; best_v=$v; fi
  done
  echo "$best"
}
JAVA_HOME=$(pick_jdk)
if [ -z "$JAVA_HOME" ]; then
  echo "no JDK >= 21 under /usr/lib/jvm; installing openjdk-21-jdk-headless" >&2
  apt-get update -qq && apt-get install -y -qq openjdk-21-jdk-headless >&2
  JAVA_HOME=$(pick_jdk)
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"

# JVM flags bin/run ships (and the benchmarks run with) beside the AOT cache, chosen by measuring 10,000 calls in
# flight (docs/BENCHMARKS.md, "Resident memory at 10,000 in flight: a heap sized for the calls"):
# - a 256 MB heap (BREAKWATER_HEAP to change it; breakwater.max-in-flight follows the heap), under the
#   Parallel collector, as the UBI image's run-java.sh runs it too: G1 sizes its heap for throughput, not for
#   the calls, and took ~20 MB more resident at the same cap;
# - freed native memory of the JIT compilers and onnxruntime back to the OS every 5 s instead of staying in
#   glibc's arenas (JDK 22+; JDK 21 would refuse to start on it).
# Compact object headers (JDK 25) were measured too and left out: no lower peak at this heap, and concurrency-1
# latency no better. bin/aot-cache trains the AOT cache with these flags too.
shipped_jvm_flags() {
  local v; v=$(java_major "$JAVA_HOME")
  local flags="-XX:+UseParallelGC -Xmx${BREAKWATER_HEAP:-256m}"
  if [ "$v" -ge 22 ]; then flags+=" -XX:TrimNativeHeapInterval=5000"; fi
  echo "$flags"
}
