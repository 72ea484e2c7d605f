package io.mysqlresync.ledger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The transactions one node wrote (its own GTID domain and server id on MariaDB, its server_uuid
 * on MySQL) that another node holds and the origin does not: what the origin may have lost.
 *
 * @param origin  the GTID source: "1-1" (MariaDB domain-server_id) or a MySQL server_uuid
 * @param ranges  inclusive sequence number ranges, ascending
 */
public record GtidGap(Flavor flavor, String origin, List<long[]> ranges) {

    public enum Flavor { MARIADB, MYSQL }

    private static final Pattern MARIADB_GTID = Pattern.compile("(\\d+)-(\\d+)-(\\d+)");
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    public GtidGap {
        ranges = ranges.stream().map(long[]::clone).toList();
    }

    public long count() {
        return ranges.stream().mapToLong(r -> r[1] - r[0] + 1).sum();
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    public boolean contains(long seq) {
        return ranges.stream().anyMatch(r -> seq >= r[0] && seq <= r[1]);
    }

    public long first() {
        return ranges.get(0)[0];
    }

    public long last() {
        return ranges.get(ranges.size() - 1)[1];
    }

    /** The GTID of sequence number {@code seq} in this origin's notation. */
    public String gtid(long seq) {
        return flavor == Flavor.MARIADB ? origin + "-" + seq : origin + ":" + seq;
    }

    /** "GTIDs 1-1-501 to 1-1-520", or "GTID 1-1-501". */
    public String describe() {
        if (ranges.isEmpty()) return "no GTIDs";
        if (first() == last()) return "GTID " + gtid(first());
        return "GTIDs " + gtid(first()) + " to " + gtid(last())
                + (ranges.size() > 1 ? " (" + count() + " of them, in " + ranges.size() + " ranges)" : "");
    }

    /**
     * MariaDB: positions like @@gtid_binlog_pos ("1-1-500,2-2-310") hold, per domain, the last
     * GTID. The origin's own transactions are those of its domain and server id; the holder has
     * the ones after the origin's last.
     */
    public static GtidGap mariadb(long domain, long serverId, String originPosition, String holderPosition) {
        String origin = domain + "-" + serverId;
        long originSeq = mariadbSeq(originPosition, domain, serverId).orElse(0L);
        long holderSeq = mariadbSeq(holderPosition, domain, serverId).orElse(0L);
        List<long[]> ranges = holderSeq > originSeq ? List.<long[]>of(new long[] {originSeq + 1, holderSeq}) : List.of();
        return new GtidGap(Flavor.MARIADB, origin, ranges);
    }

    /** The sequence number of {@code domain}'s GTID in a MariaDB position, when that GTID came from {@code serverId}. */
    public static Optional<Long> mariadbSeq(String position, long domain, long serverId) {
        Matcher m = MARIADB_GTID.matcher(position == null ? "" : position);
        while (m.find()) {
            if (Long.parseLong(m.group(1)) == domain && Long.parseLong(m.group(2)) == serverId) {
                return Optional.of(Long.parseLong(m.group(3)));
            }
        }
        return Optional.empty();
    }

    /** MySQL: the origin's server_uuid intervals in the holder's gtid_executed that the origin's lacks. */
    public static GtidGap mysql(String originUuid, String originExecuted, String holderExecuted) {
        String uuid = originUuid.toLowerCase(Locale.ROOT);
        List<long[]> have = mysqlIntervals(originExecuted).getOrDefault(uuid, List.of());
        List<long[]> held = mysqlIntervals(holderExecuted).getOrDefault(uuid, List.of());
        List<long[]> missing = new ArrayList<>();
        for (long[] h : held) {
            long from = h[0];
            for (long[] o : have) {
                if (o[1] < from || o[0] > h[1]) continue;
                if (o[0] > from) missing.add(new long[] {from, o[0] - 1});
                from = Math.max(from, o[1] + 1);
            }
            if (from <= h[1]) missing.add(new long[] {from, h[1]});
        }
        return new GtidGap(Flavor.MYSQL, uuid, missing);
    }

    /** Parses a MySQL GTID set ("uuid:1-5:7,uuid2:3"); tagged GTIDs (8.3+) are not split out. */
    static Map<String, List<long[]>> mysqlIntervals(String set) {
        Map<String, List<long[]>> out = new LinkedHashMap<>();
        if (set == null) return out;
        for (String part : set.replace("\n", "").split(",")) {
            String[] pieces = part.trim().split(":");
            if (pieces.length < 2 || !UUID.matcher(pieces[0]).matches()) continue;
            List<long[]> list = out.computeIfAbsent(pieces[0].toLowerCase(Locale.ROOT), k -> new ArrayList<>());
            for (int i = 1; i < pieces.length; i++) {
                String[] ends = pieces[i].split("-");
                if (!ends[0].chars().allMatch(Character::isDigit) || ends[0].isEmpty()) continue;
                long from = Long.parseLong(ends[0]);
                long to = ends.length > 1 ? Long.parseLong(ends[1]) : from;
                list.add(new long[] {from, to});
            }
            list.sort((a, b) -> Long.compare(a[0], b[0]));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof GtidGap g)) return false;
        if (g.flavor != flavor || !g.origin.equals(origin) || g.ranges.size() != ranges.size()) return false;
        for (int i = 0; i < ranges.size(); i++) {
            if (!java.util.Arrays.equals(ranges.get(i), g.ranges.get(i))) return false;
        }
        return true;
    }

    @Override
    public int hashCode() {
        return origin.hashCode() * 31 + (int) count();
    }

    @Override
    public String toString() {
        return describe();
    }
}
