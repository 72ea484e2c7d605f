package io.mysqlresync.replication;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A server's flavor and numeric version, parsed once from {@code SELECT @@version}. */
public record ServerVersion(Flavor flavor, int major, int minor, int patch, String raw) {

    private static final Pattern NUMBERS = Pattern.compile("^(\\d+)\\.(\\d+)\\.(\\d+)");

    public static ServerVersion parse(String versionString, String versionComment) {
        String raw = versionString == null ? "" : versionString.trim();
        Matcher m = NUMBERS.matcher(raw);
        if (!m.find()) {
            throw new IllegalArgumentException("Unrecognised server version '" + raw + "'");
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        int patch = Integer.parseInt(m.group(3));
        String both = (raw + " " + (versionComment == null ? "" : versionComment)).toLowerCase();
        Flavor flavor;
        if (both.contains("mariadb")) {
            flavor = Flavor.MARIADB;
        } else if (major > 8 || (major == 8 && (minor > 0 || patch >= 22))) {
            flavor = Flavor.MYSQL;
        } else {
            flavor = Flavor.MYSQL_LEGACY;
        }
        return new ServerVersion(flavor, major, minor, patch, raw);
    }

    public boolean atLeast(int maj, int min, int pat) {
        if (major != maj) return major > maj;
        if (minor != min) return minor > min;
        return patch >= pat;
    }

    /** MySQL 8.0.23 introduced CHANGE REPLICATION SOURCE TO; 8.0.22 only renamed SHOW/START/STOP. */
    public boolean hasChangeReplicationSource() {
        return flavor == Flavor.MYSQL && atLeast(8, 0, 23);
    }

    /** SHOW MASTER STATUS was removed in MySQL 8.4; SHOW BINARY LOG STATUS exists since 8.2. */
    public boolean hasShowBinaryLogStatus() {
        return flavor == Flavor.MYSQL && atLeast(8, 2, 0);
    }

    @Override
    public String toString() {
        return raw;
    }
}
