package io.mysqlresync.recovery;

import java.util.Optional;

/** The bot's own grants on a node (SHOW GRANTS, read by the JDBC adapter); empty when unknown. */
@FunctionalInterface
public interface GrantSource {

    /** Nothing known: every option the recipes make executable stays so. */
    GrantSource UNKNOWN = (cluster, node) -> Optional.empty();

    Optional<BotGrants> grantsOn(String cluster, String node);
}
