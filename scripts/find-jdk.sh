# Sourced by the project's scripts: exports JAVA_HOME pointing to a JDK >= 25, or fails with one line.
# Order: $JAVA_HOME, `java` on PATH, then JDKs installed under /usr/lib/jvm, /opt, ~/.sdkman, ~/.jdks.
_dcgan_jdk_major() {  # prints the feature version of the JDK at $1, or nothing
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}
_dcgan_find_jdk() {
  local c v
  for c in "${JAVA_HOME:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")" \
           /usr/lib/jvm/* /opt/*jdk* /opt/java/* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -n "$c" ] && [ -d "$c" ] || continue
    v=$(_dcgan_jdk_major "$c")
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then echo "$c"; return 0; fi
  done
  return 1
}
if _jdk=$(_dcgan_find_jdk); then
  export JAVA_HOME="$_jdk"
  export PATH="$JAVA_HOME/bin:$PATH"
else
  echo "dcgan: no JDK 25 or newer found; install one (e.g. Temurin 25) and set JAVA_HOME to it" >&2
  return 1 2>/dev/null || exit 1
fi
unset _jdk
