#!/bin/sh
# Compiles the service with the JDK's javac against Debian's PostgreSQL JDBC driver: no build tool,
# nothing downloaded. The platform runs this on every push to main, in the workspace sandbox.
set -eu
rm -rf classes
find src -name '*.java' > sources.txt
javac -J-Xmx192m -J-XX:+UseSerialGC -J-XX:TieredStopAtLevel=1 -encoding UTF-8 --release 17 \
  -cp /usr/share/java/postgresql.jar -d classes @sources.txt
echo "compiled $(wc -l < sources.txt) source file(s) into classes/"
