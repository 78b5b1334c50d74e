# Sourced by .ci/test.sh and bench/report.sh: selects a JDK 25 when the default java is older.
# Looks at JAVA_HOME, then the usual install folders; fails loudly if none is found.
aio4j_java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
aio4j_select_jdk() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/*25*; do
    if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ]; then
      local major; major=$(aio4j_java_major "$candidate")
      if [ -n "$major" ] && [ "$major" -ge 25 ]; then
        export JAVA_HOME="$candidate"; export PATH="$JAVA_HOME/bin:$PATH"; return 0
      fi
    fi
  done
  echo "aio4j: no JDK 25 found (looked at JAVA_HOME and /usr/lib/jvm). Install one (e.g. Temurin 25) and set JAVA_HOME." >&2
  return 1
}
aio4j_select_jdk
