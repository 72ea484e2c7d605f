package io.mysqlresync.recovery;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bot's own global privileges on one node, from its {@code SHOW GRANTS} lines. Only grants
 * {@code ON *.*} matter: every replication statement the bot runs needs a global privilege.
 *
 * @param privileges global privileges, upper case, spaces as the server prints them
 *                   ({@code REPLICATION SLAVE ADMIN} on MariaDB, {@code REPLICATION_SLAVE_ADMIN} on MySQL)
 * @param all        {@code GRANT ALL [PRIVILEGES] ON *.*}
 * @param roles      roles granted to the bot: their privileges are not in its own SHOW GRANTS,
 *                   so a privilege missing here may still be there through a role
 */
public record BotGrants(Set<String> privileges, boolean all, List<String> roles) {

    // GRANT <list> ON <object> TO ...   (the list never contains " ON ")
    private static final Pattern PRIVILEGE_GRANT = Pattern.compile("^GRANT\\s+(.+?)\\s+ON\\s+(\\S+)\\s+TO\\s",
            Pattern.CASE_INSENSITIVE);
    // GRANT `role` TO `user`@`host`  (a role grant has no ON)
    private static final Pattern ROLE_GRANT = Pattern.compile("^GRANT\\s+(.+?)\\s+TO\\s", Pattern.CASE_INSENSITIVE);

    public BotGrants {
        privileges = Set.copyOf(privileges);
        roles = List.copyOf(roles);
    }

    /** Parses the lines of {@code SHOW GRANTS} (MySQL 5.7/8.x, MariaDB). */
    public static BotGrants parse(List<String> showGrants) {
        Set<String> privileges = new LinkedHashSet<>();
        List<String> roles = new ArrayList<>();
        boolean all = false;
        for (String line : showGrants) {
            String l = line.trim();
            Matcher m = PRIVILEGE_GRANT.matcher(l);
            if (m.find()) {
                String on = m.group(2).replace("`", "");
                if (!on.equals("*.*")) continue; // database or table grants: never what a replication statement needs
                for (String p : splitList(m.group(1))) {
                    String name = p.replaceAll("\\s*\\(.*\\)$", "").trim().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
                    if (name.equals("ALL") || name.equals("ALL PRIVILEGES")) all = true;
                    else if (!name.equals("USAGE") && !name.isEmpty()) privileges.add(name);
                }
                continue;
            }
            Matcher r = ROLE_GRANT.matcher(l);
            if (r.find()) {
                for (String role : splitList(r.group(1))) roles.add(role.trim());
            }
        }
        return new BotGrants(privileges, all, roles);
    }

    private static List<String> splitList(String list) {
        List<String> out = new ArrayList<>();
        for (String p : list.split(",")) {
            if (!p.isBlank()) out.add(p.trim());
        }
        return out;
    }

    /** Whether one of {@code anyOf} is held (ALL holds every one). */
    public boolean holdsAny(Set<String> anyOf) {
        return all || anyOf.stream().anyMatch(privileges::contains);
    }
}
