package io.mysqlresync.slack;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A parsed {@code /mysql-resync} command. Parsing is pure and fast because it happens before the
 * ack, inside Slack's 3-second window; anything that reads a server or the store happens after.
 *
 * @param cluster empty for {@code status} and {@code history} over every cluster, for {@code help}
 *     and for {@code repair}
 * @param verification the verification {@code repair} works from; empty for every other verb
 */
record SlashCommand(Verb verb, Optional<String> cluster, List<String> tables, Optional<String> verification) {

    SlashCommand(Verb verb, Optional<String> cluster) {
        this(verb, cluster, List.of());
    }

    SlashCommand(Verb verb, Optional<String> cluster, List<String> tables) {
        this(verb, cluster, tables, Optional.empty());
    }

    static SlashCommand repair(String verificationId) {
        return new SlashCommand(Verb.REPAIR, Optional.empty(), List.of(), Optional.of(verificationId));
    }

    SlashCommand {
        tables = List.copyOf(tables);
    }

    static final String COMMAND = "/mysql-resync";

    enum Verb {
        HELP("help", Arity.NONE, "this help"),
        STATUS("status", Arity.OPTIONAL, "one line per cluster, or one cluster's nodes"),
        DIAGNOSE("diagnose", Arity.REQUIRED, "what is wrong, in plain words, with the evidence"),
        PLAN("plan", Arity.REQUIRED, "a recovery plan with the exact SQL per node, to approve or reject"),
        HISTORY("history", Arity.OPTIONAL, "the last entries of the audit trail"),
        WATCH("watch", Arity.REQUIRED, "follow the lag until both nodes are back in sync"),
        AUDIT("audit", Arity.REQUIRED, "the crash-safety settings of every node, with the fixes (changes nothing)"),
        VERIFY("verify", Arity.TABLES, "compare the data of both nodes: which rows differ, with each node's values"),
        REPAIR("repair", Arity.VERIFICATION, "a repair plan for a verification's differing rows: choose the source per table, then approve");

        final String word;
        final Arity arity;
        final String description;

        Verb(String word, Arity arity, String description) {
            this.word = word;
            this.arity = arity;
            this.description = description;
        }

        String usage() {
            return COMMAND + " " + word + switch (arity) {
                case NONE -> "";
                case OPTIONAL -> " [cluster]";
                case REQUIRED -> " <cluster>";
                case TABLES -> " <cluster> [schema[.table] ...]";
                case VERIFICATION -> " <verification-id>";
            };
        }

        static Optional<Verb> of(String word) {
            return Arrays.stream(values()).filter(v -> v.word.equals(word)).findFirst();
        }
    }

    /**
     * TABLES: a cluster, then table filters (matched against the catalog, never put into SQL).
     * VERIFICATION: the id a verification was stored as, no cluster (the verification knows it).
     */
    enum Arity { NONE, OPTIONAL, REQUIRED, TABLES, VERIFICATION }

    private static final java.util.regex.Pattern VERIFICATION_ID = io.mysqlresync.verify.VerificationLog.ID;

    /** A schema or schema.table as MySQL names them unquoted; anything else is refused before it goes anywhere. */
    private static final java.util.regex.Pattern TABLE = java.util.regex.Pattern.compile("[A-Za-z0-9_$]{1,64}(\\.[A-Za-z0-9_$]{1,64})?");
    static final int MAX_TABLES = 20;

    /** Either a command or the message telling the user what to type instead. */
    record Parsed(Optional<SlashCommand> command, String error) {
        static Parsed ok(SlashCommand c) {
            return new Parsed(Optional.of(c), "");
        }

        static Parsed error(String message) {
            return new Parsed(Optional.empty(), message);
        }
    }

    static Parsed parse(String text, List<String> clusters) {
        String[] words = text == null || text.isBlank() ? new String[0] : text.trim().split("\\s+");
        if (words.length == 0) {
            return Parsed.ok(new SlashCommand(Verb.HELP, Optional.empty()));
        }
        String first = words[0].toLowerCase(Locale.ROOT);
        Optional<Verb> verb = Verb.of(first);
        if (verb.isEmpty()) {
            return Parsed.error("Unknown subcommand `" + quote(words[0]) + "`. Valid subcommands: "
                    + Arrays.stream(Verb.values()).map(v -> "`" + v.word + "`").collect(Collectors.joining(", "))
                    + ".\n" + usage(clusters));
        }
        Verb v = verb.get();
        List<String> args = Arrays.asList(words).subList(1, words.length);
        if (v.arity == Arity.TABLES && args.size() > 1) {
            Parsed head = parse(v.word + " " + args.get(0), clusters);
            if (head.command().isEmpty()) {
                return head;
            }
            List<String> tables = args.subList(1, args.size());
            if (tables.size() > MAX_TABLES) {
                return Parsed.error("`verify` takes at most " + MAX_TABLES + " schemas or tables at once.");
            }
            for (String t : tables) {
                if (!TABLE.matcher(t).matches()) {
                    return Parsed.error("`" + quote(t) + "` is not a schema or `schema.table` name. Usage: `"
                            + v.usage() + "`.");
                }
            }
            return Parsed.ok(new SlashCommand(v, head.command().get().cluster(), tables));
        }
        if (v.arity == Arity.VERIFICATION) {
            return parseVerification(v, args);
        }
        int max = v.arity == Arity.NONE ? 0 : 1;
        if (args.size() > max) {
            return Parsed.error("`" + v.word + "` takes " + (max == 0 ? "no arguments" : "one cluster")
                    + ", but got `" + quote(String.join(" ", args)) + "`. Usage: `" + v.usage() + "`."
                    + clusterList(clusters));
        }
        if (args.isEmpty()) {
            if (v.arity == Arity.REQUIRED || v.arity == Arity.TABLES) {
                return Parsed.error("`" + v.word + "` needs a cluster: `" + v.usage() + "`." + clusterList(clusters));
            }
            return Parsed.ok(new SlashCommand(v, Optional.empty()));
        }
        String cluster = args.get(0);
        if (!clusters.contains(cluster)) {
            Optional<String> sameIgnoringCase = clusters.stream().filter(c -> c.equalsIgnoreCase(cluster)).findFirst();
            return Parsed.error("Unknown cluster `" + quote(cluster) + "`."
                    + sameIgnoringCase.map(c -> " Did you mean `" + c + "`?").orElse("")
                    + clusterList(clusters));
        }
        return Parsed.ok(new SlashCommand(v, Optional.of(cluster)));
    }

    private static Parsed parseVerification(Verb v, List<String> args) {
        String what = "The id is in the verification's message, e.g. `v-1a2b3c4d`.";
        if (args.isEmpty()) {
            return Parsed.error("`" + v.word + "` needs a verification id: `" + v.usage() + "`. " + what);
        }
        if (args.size() > 1) {
            return Parsed.error("`" + v.word + "` takes one verification id, but got `" + quote(String.join(" ", args))
                    + "`. Usage: `" + v.usage() + "`.");
        }
        String id = args.get(0);
        if (!VERIFICATION_ID.matcher(id).matches()) {
            return Parsed.error("`" + quote(id) + "` is not a verification id. Usage: `" + v.usage() + "`. " + what);
        }
        return Parsed.ok(repair(id));
    }

    static String usage(List<String> clusters) {
        StringBuilder sb = new StringBuilder();
        for (Verb v : Verb.values()) {
            sb.append("`").append(v.usage()).append("`: ").append(v.description).append('\n');
        }
        return sb.append(clusterList(clusters).strip()).toString();
    }

    private static String clusterList(List<String> clusters) {
        return clusters.isEmpty() ? "\nNo clusters are configured."
                : "\nConfigured clusters: " + clusters.stream().map(c -> "`" + c + "`").collect(Collectors.joining(", ")) + ".";
    }

    /** The user's own words, echoed back safely: short, and without mrkdwn or mentions. */
    private static String quote(String s) {
        return BlockKit.truncate(BlockKit.escapeInline(s), 40);
    }
}
