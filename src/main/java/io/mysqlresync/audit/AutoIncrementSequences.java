package io.mysqlresync.audit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * auto_increment_increment / auto_increment_offset: do two nodes ever hand out the same id? Both
 * default 1 and are dynamic (new sessions); an offset above the increment is ignored
 * (https://dev.mysql.com/doc/refman/8.0/en/replication-options-source.html#sysvar_auto_increment_increment,
 * https://mariadb.com/kb/en/replication-and-binary-log-system-variables/#auto_increment_increment).
 */
final class AutoIncrementSequences implements SettingRule {

    static final String ITEM = "auto_increment";

    private record Sequence(long increment, long offset) {
        static Optional<Sequence> of(NodeSettings n) {
            Optional<NodeSettings.Setting> inc = n.setting("auto_increment_increment");
            Optional<NodeSettings.Setting> off = n.setting("auto_increment_offset");
            if (inc.isEmpty() || off.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Sequence(inc.get().asLong(), off.get().asLong()));
        }

        long effectiveOffset() {
            return offset > increment ? 1 : offset;
        }

        /** offset + k*increment meets offset' + j*increment' for some k, j iff the offsets agree modulo the gcd. */
        boolean collidesWith(Sequence o) {
            long g = gcd(increment, o.increment);
            return Math.floorMod(effectiveOffset() - o.effectiveOffset(), g) == 0;
        }

        @Override
        public String toString() {
            return "auto_increment_increment=" + increment + ", auto_increment_offset=" + offset;
        }
    }

    @Override
    public Set<String> variables() {
        return Set.of("auto_increment_increment", "auto_increment_offset");
    }

    @Override
    public List<SettingFinding> check(AuditContext context) {
        NodeSettings node = context.node();
        Optional<Sequence> mine = Sequence.of(node);
        if (mine.isEmpty()) {
            return List.of();
        }
        Sequence seq = mine.get();
        String setting = "auto_increment_increment, auto_increment_offset";
        Optional<NodeSettings> clash = context.others().stream()
                .filter(o -> Sequence.of(o).map(seq::collidesWith).orElse(false)).findFirst();
        if (clash.isEmpty()) {
            return List.of(SettingFinding.fine(node, ITEM, setting, seq.toString(), context.others().isEmpty()
                    ? "one node: no other sequence to collide with"
                    : "ids " + seq.effectiveOffset() + ", " + (seq.effectiveOffset() + seq.increment())
                            + ", ... are never handed out by the other node"));
        }
        // One layout for the whole cluster: increment = room for every node, offset = place in the
        // configured order (node1 odd, node2 even). Only a node away from it gets the finding.
        long increment = context.cluster().size();
        for (NodeSettings n : context.cluster()) {
            increment = Math.max(increment, Sequence.of(n).map(Sequence::increment).orElse(1L));
        }
        Sequence wanted = new Sequence(Math.max(2, increment), context.position() + 1);
        if (wanted.equals(seq)) {
            return List.of(SettingFinding.fine(node, ITEM, setting, seq.toString(),
                    "this node already has its share of ids; the fix belongs on " + clash.get().node()));
        }
        Map<String, String> change = new LinkedHashMap<>();
        if (wanted.increment() != seq.increment()) {
            change.put("auto_increment_increment", Long.toString(wanted.increment()));
        }
        if (wanted.offset() != seq.offset()) {
            change.put("auto_increment_offset", Long.toString(wanted.offset()));
        }
        Sequence theirs = Sequence.of(clash.get()).orElseThrow();
        return List.of(new SettingFinding(node.node(), ITEM, String.join(", ", change.keySet()), seq.toString(),
                wanted.toString(), Safety.UNSAFE,
                clash.get().node() + " hands out the same ids (" + theirs.increment() + "/" + theirs.offset()
                        + "): rows inserted on both nodes at once collide and replication stops on a duplicate key;"
                        + " connections made before the change keep the old values",
                Fixes.set(node, true, change)));
    }

    private static long gcd(long a, long b) {
        a = Math.max(1, Math.abs(a));
        b = Math.max(1, Math.abs(b));
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
