package io.mysqlresync.incident;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a lag watch already said, kept between checks so that news is told once, whichever
 * replica runs the next check.
 *
 * @param watchStartedAt the watch this belongs to ({@link LagWatch#startedAt()}): a new watch of the
 *                       cluster starts with nothing said
 * @param shown          the progress view last shown: an edit is skipped when the new one is the same
 * @param caughtUp       nodes already announced as caught up
 * @param notFalling     nodes already announced as no longer falling (until they fall again)
 * @param brokenChecks   checks in a row that saw replication broken
 */
public record WatchMemory(Instant watchStartedAt, String shown, Set<String> caughtUp, Set<String> notFalling,
                          int brokenChecks) {

    public WatchMemory {
        shown = shown == null ? "" : shown;
        caughtUp = Set.copyOf(caughtUp);
        notFalling = Set.copyOf(notFalling);
    }

    public static WatchMemory fresh(Instant watchStartedAt) {
        return new WatchMemory(watchStartedAt, "", Set.of(), Set.of(), 0);
    }

    public WatchMemory withShown(String view) {
        return new WatchMemory(watchStartedAt, view, caughtUp, notFalling, brokenChecks);
    }

    public WatchMemory withCaughtUp(String node) {
        return new WatchMemory(watchStartedAt, shown, plus(caughtUp, node), notFalling, brokenChecks);
    }

    public WatchMemory withNotFalling(String node, boolean notFallingNow) {
        Set<String> nodes = new TreeSet<>(notFalling);
        if (notFallingNow) nodes.add(node); else nodes.remove(node);
        return new WatchMemory(watchStartedAt, shown, caughtUp, nodes, brokenChecks);
    }

    public WatchMemory withBrokenChecks(int checks) {
        return new WatchMemory(watchStartedAt, shown, caughtUp, notFalling, checks);
    }

    private static Set<String> plus(Set<String> set, String item) {
        Set<String> out = new TreeSet<>(set);
        out.add(item);
        return out;
    }
}
