# Sourced by ./mvnw and ./lumen: points JAVA_HOME at a JDK 25 or newer, or stops with a clear message.
# Order: $JAVA_HOME if it is new enough, then the JDKs under /usr/lib/jvm and /opt, then `java` on PATH.
lumen_java_major() { # prints the feature version of the JDK at $1 (0 if none)
  [ -x "$1/bin/javac" ] || { echo 0; return; }
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
  echo "${v%%.*}" | grep -E '^[0-9]+$' || echo 0
}
lumen_find_jdk() {
  if [ -n "${JAVA_HOME-}" ] && [ "$(lumen_java_major "$JAVA_HOME")" -ge 25 ]; then return 0; fi
  case $- in *f*) set +f; lumen_noglob=1 ;; *) lumen_noglob= ;; esac  # mvnw runs with globbing off
  for d in /usr/lib/jvm/temurin-25* /usr/lib/jvm/*25* /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
    [ -d "$d" ] || continue
    if [ "$(lumen_java_major "$d")" -ge 25 ]; then export JAVA_HOME="$d"; break; fi
  done
  [ -z "$lumen_noglob" ] || set -f
  if [ -n "${JAVA_HOME-}" ] && [ "$(lumen_java_major "$JAVA_HOME")" -ge 25 ]; then return 0; fi
  if command -v javac >/dev/null 2>&1; then
    d=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    if [ "$(lumen_java_major "$d")" -ge 25 ]; then export JAVA_HOME="$d"; return 0; fi
  fi
  echo "lumen: needs JDK 25 or newer (Vector API, FFM); found only: ${JAVA_HOME:-$(java -version 2>&1 | head -1)}." >&2
  echo "lumen: install Temurin 25 under /usr/lib/jvm or set JAVA_HOME to it." >&2
  return 1
}
lumen_find_jdk || exit 1
