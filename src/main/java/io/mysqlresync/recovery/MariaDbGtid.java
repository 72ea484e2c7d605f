package io.mysqlresync.recovery;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** MariaDB GTID positions: comma-separated domain-server-seqno, one per replication domain. */
final class MariaDbGtid {

    private static final Pattern GTID = Pattern.compile("(\\d+)-(\\d+)-(\\d+)");
    private MariaDbGtid() {
    }

    static int domains(String position) {
        Set<String> seen = new LinkedHashSet<>();
        Matcher m = GTID.matcher(position == null ? "" : position);
        while (m.find()) seen.add(m.group(1));
        return seen.size();
    }

    /** The GTID ("1-1-500") a position holds for {@code domain}, if any. */
    static Optional<String> inDomain(String position, long domain) {
        Matcher m = GTID.matcher(position == null ? "" : position);
        while (m.find()) {
            if (Long.parseLong(m.group(1)) == domain) return Optional.of(m.group());
        }
        return Optional.empty();
    }

    /** The sequence number of a GTID ("1-1-500" gives 500). */
    static long seqNo(String gtid) {
        return Long.parseLong(gtid.substring(gtid.lastIndexOf('-') + 1));
    }

    /** {@code position} with {@code gtid}'s domain set to {@code gtid}: every other domain unchanged. */
    static String replaceDomain(String position, String gtid) {
        String domain = gtid.substring(0, gtid.indexOf('-'));
        List<String> out = new ArrayList<>();
        boolean replaced = false;
        for (String part : position.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) continue;
            if (p.startsWith(domain + "-")) {
                out.add(gtid);
                replaced = true;
            } else {
                out.add(p);
            }
        }
        if (!replaced) out.add(gtid);
        return String.join(",", out);
    }
}
