package io.mysqlresync.audit;

import io.mysqlresync.replication.Flavor;
import io.mysqlresync.replication.ServerVersion;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One node's global variables as SHOW GLOBAL VARIABLES printed them, with its version. Names are
 * kept lower case: MySQL and MariaDB print them so, and a rule may then ask for any spelling.
 */
public record NodeSettings(String node, ServerVersion version, Map<String, String> variables) {

    public NodeSettings {
        Map<String, String> lower = new LinkedHashMap<>();
        variables.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v == null ? "" : v));
        variables = Map.copyOf(lower);
    }

    /**
     * The first of {@code spellings} this server has, with its value: MySQL 8.0.26 renamed the
     * slave_* variables to replica_* (8.4 drops some old names), MariaDB keeps the old ones. Pass
     * the newest spelling first.
     */
    public Optional<Setting> setting(String... spellings) {
        for (String name : spellings) {
            String value = variables.get(name);
            if (value != null) {
                return Optional.of(new Setting(name, value));
            }
        }
        return Optional.empty();
    }

    public boolean isMariaDb() {
        return version.flavor() == Flavor.MARIADB;
    }

    /** MySQL 8.0 and later: SET PERSIST exists, and settings made with it survive a restart. */
    public boolean isMySql8() {
        return !isMariaDb() && version.major() >= 8;
    }

    /** MySQL 5.7 (or older): no SET PERSIST, the replica's positions may still live in files. */
    public boolean isMySql57() {
        return !isMariaDb() && version.major() < 8;
    }

    /** One variable as this server names it. */
    public record Setting(String name, String value) {

        /** ON/OFF as MySQL prints booleans; MariaDB prints ON/OFF too, option files may say 1/TRUE. */
        public boolean isOn() {
            String v = value.trim().toUpperCase(Locale.ROOT);
            return v.equals("ON") || v.equals("1") || v.equals("TRUE") || v.equals("YES");
        }

        public long asLong() {
            try {
                return Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " = '" + value + "' is not a number", e);
            }
        }

        public double asDouble() {
            return Double.parseDouble(value.trim());
        }

        public boolean is(String expected) {
            return value.trim().equalsIgnoreCase(expected);
        }

        @Override
        public String toString() {
            return name + "=" + value;
        }
    }
}
