package io.mysqlresync.console;

import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.incident.ApprovalOutcome;
import io.mysqlresync.incident.ApprovalPolicy;
import io.mysqlresync.incident.RepairOutcome;
import io.mysqlresync.incident.RepairRequest;
import io.mysqlresync.incident.RepairService;
import io.mysqlresync.incident.ProposedPlan;
import io.mysqlresync.incident.ResyncService;
import io.mysqlresync.incident.ShardPoll;
import io.mysqlresync.incident.StateUnreachable;
import io.mysqlresync.incident.UnknownClusterException;
import io.mysqlresync.recovery.PlanOption;
import org.slf4j.MDC;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * The Slack conversation in a terminal (like Hubot's shell adapter): useful when Slack itself is
 * down during an incident. Whoever has this terminal has shell access to the bot host, so they
 * count as an approver; approving still names the plan and asks for confirmation.
 */
public final class ConsoleSession {

    private static final Pattern PLAN_ID = Pattern.compile("p-[a-z0-9]{8}");
    private static final Pattern OPTION_ID = Pattern.compile("[a-z][a-z-]{0,30}");
    private static final Pattern REPAIR_ID = Pattern.compile("r-[a-z0-9]{8}");

    private final ResyncService service;
    private final BufferedReader in;
    private final PrintStream out;
    private final String user;
    private final BiConsumer<String, String> watchStarter;
    /** Set by {@link #verifyWith}; without it `verify` says it is not available. */
    private ConsoleVerify verify;
    private volatile RepairService repairs;

    /** @param watchStarter starts the lag progress watch for (cluster, channel) */
    public ConsoleSession(ResyncService service, BufferedReader in, PrintStream out, String user,
                          BiConsumer<String, String> watchStarter) {
        this.service = service;
        this.in = in;
        this.out = out;
        this.user = ApprovalPolicy.CONSOLE_PREFIX + user;
        this.watchStarter = watchStarter;
    }

    /** Enables {@code verify}. */
    public ConsoleSession verifyWith(ConsoleVerify v) {
        this.verify = v;
        return this;
    }

    /** Repairs of drift a verification found: `repair <verification-id> --source <node>`, then approve. */
    public ConsoleSession repairWith(RepairService service) {
        this.repairs = service;
        return this;
    }

    /** Reads commands until 'quit' or end of input. */
    public void run() throws IOException {
        say("mysql-resync terminal mode. Clusters: " + String.join(", ", service.clusters()) + ". Type 'help'.");
        while (true) {
            synchronized (out) {
                out.print("mysql-resync> ");
                out.flush();
            }
            String line = in.readLine();
            if (line == null) return;
            if (!handle(line.trim())) return;
        }
    }

    /** Runs one command; false when the session should end. */
    public boolean handle(String line) throws IOException {
        if (line.isEmpty()) return true;
        String[] words = line.split("\\s+");
        String cmd = words[0].toLowerCase();
        if (words.length > 1) {
            MDC.put(PLAN_ID.matcher(words[1]).matches() ? "plan" : "cluster", words[1]);
        }
        try {
            switch (cmd) {
                case "quit", "exit" -> {
                    return false;
                }
                case "help" -> say(help());
                case "status" -> status(arg(words, 1).orElse(null));
                case "diagnose" -> say(TextRenderer.diagnosis(service.diagnose(required(words, 1, "diagnose <cluster>"), user)));
                case "plan" -> plan(required(words, 1, "plan <cluster>"));
                case "repair" -> repair(words);
                case "approve" -> {
                    if (words.length > 1 && REPAIR_ID.matcher(words[1]).matches()) approveRepair(words[1]);
                    else approve(words);
                }
                case "reject" -> {
                    if (words.length > 1 && REPAIR_ID.matcher(words[1]).matches()) {
                        say(RepairText.outcome(repairService().reject(words[1], user, true)));
                    } else {
                        reject(words);
                    }
                }
                case "history" -> say(TextRenderer.history(service.history(arg(words, 1).orElse(null), 20)));
                case "audit" -> say(AuditText.audit(service.audit(required(words, 1, "audit <cluster>"), user)));
                case "watch" -> {
                    String cluster = service.requireCluster(required(words, 1, "watch <cluster>"));
                    watchStarter.accept(cluster, "console");
                    say("Watching the lag on " + cluster + " until both nodes are in sync.");
                }
                case "verify" -> verify(words);
                default -> say("Unknown command '" + cmd + "'. " + help());
            }
        } catch (UnknownClusterException | UsageException e) {
            say(e.getMessage());
        } catch (RuntimeException e) {
            // An outage is said in words; anything else is a bug and keeps its trace.
            if (!StateUnreachable.in(e)) throw e;
            say("'" + cmd + "' is not available now: " + StateUnreachable.APPROVALS_PAUSED + ".");
        } finally {
            MDC.remove("cluster");
            MDC.remove("plan");
        }
        return true;
    }

    private void status(String cluster) {
        List<String> names = cluster == null ? service.clusters() : List.of(service.requireCluster(cluster));
        for (String name : names) {
            Diagnosis d = service.diagnose(name);
            say(d.headline() + "\n" + TextRenderer.nodeTable(d));
        }
        if (cluster == null) {
            List<ShardPoll> shards = service.store().shardPolls();
            if (!shards.isEmpty()) {
                say(TextRenderer.shards(shards, Instant.now()));
            }
        }
    }

    private void verify(String[] words) {
        String cluster = service.requireCluster(required(words, 1, "verify <cluster> [schema[.table] ...]"));
        if (verify == null) {
            say("Data verification is not available in this session.");
            return;
        }
        List<String> tables = List.of(words).subList(2, words.length);
        for (String t : tables) {
            if (!TABLE.matcher(t).matches()) {
                throw new UsageException("'" + t + "' is not a schema or schema.table name");
            }
        }
        try {
            say(ConsoleVerify.text(verify.run(cluster, tables, user, out)));
        } catch (IllegalArgumentException e) {
            say(e.getMessage());
        }
    }

    private static final Pattern TABLE = Pattern.compile("[A-Za-z0-9_$]{1,64}(\\.[A-Za-z0-9_$]{1,64})?");

    private void plan(String cluster) {
        ProposedPlan p = service.propose(cluster, user, "console");
        // What to decide on first (what is broken, what runs, what is at risk, how to approve),
        // then the evidence: the same content as before, in the order it is needed.
        say(p.plan().diagnosis().headline() + "\n" + TextRenderer.whatIsBroken(p.plan().diagnosis()));
        say(TextRenderer.plan(p.plan()));
        List<PlanOption> runnable = p.plan().executableOptions();
        if (!runnable.isEmpty()) {
            say("To run it: approve " + p.id() + " " + runnable.get(0).id()
                    + (runnable.size() > 1 ? "   (or another option: "
                    + runnable.stream().map(PlanOption::id).toList() + ")" : "")
                    + "   -- expires " + p.expiresAt());
        }
        say("\n" + TextRenderer.evidence(p.plan().diagnosis()));
    }

    private void approve(String[] words) throws IOException {
        String planId = required(words, 1, "approve <plan-id> [option]");
        if (!PLAN_ID.matcher(planId).matches()) {
            throw new UsageException("'" + planId + "' is not a plan id (like p-abcd2345); 'plan <cluster>' makes one");
        }
        Optional<ProposedPlan> plan = service.plan(planId);
        if (plan.isEmpty()) {
            throw new UsageException("there is no plan " + planId);
        }
        List<PlanOption> runnable = plan.get().plan().executableOptions();
        String option = arg(words, 2).orElse(runnable.size() == 1 ? runnable.get(0).id() : "");
        if (option.isEmpty() || !OPTION_ID.matcher(option).matches()) {
            throw new UsageException("say which option to run: " + runnable.stream().map(PlanOption::id).toList());
        }
        synchronized (out) {
            out.print("Run option '" + option + "' of " + planId + " on " + plan.get().cluster() + " now? Type yes: ");
            out.flush();
        }
        String answer = in.readLine();
        if (answer == null || !answer.trim().equalsIgnoreCase("yes")) {
            say("Not approved; nothing was run.");
            return;
        }
        ApprovalOutcome result = service.approve(planId, option, user, true, o -> say(TextRenderer.outcome(o)));
        say(result.kind() + ": " + result.message());
        if (result.freshPlan() != null) {
            say(TextRenderer.plan(result.freshPlan().plan()));
            say("To run the fresh plan: approve " + result.freshPlan().id());
        }
    }

    private RepairService repairService() {
        if (repairs == null) {
            throw new UsageException("repairs are not set up in this terminal");
        }
        return repairs;
    }

    private void repair(String[] words) {
        String id = required(words, 1, "repair <verification-id> --source <node>");
        int at = java.util.Arrays.asList(words).indexOf("--source");
        String source = at > 0 && at + 1 < words.length ? words[at + 1] : null;
        RepairRequest r;
        try {
            r = repairService().propose(id, source, user, "console");
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        say(RepairText.plan(r));
        if (r.plan().ready() && !r.manual()) {
            say("To apply it: approve " + r.id() + "   -- expires " + r.expiresAt());
        } else if (!r.plan().refused() && !r.plan().ready()) {
            say("Name the source of truth: repair " + id + " --source <" + String.join("|", r.plan().nodes()) + ">");
        }
    }

    private void approveRepair(String id) throws IOException {
        RepairRequest r = repairService().find(id).orElseThrow(() -> new UsageException("there is no repair plan " + id));
        synchronized (out) {
            out.print("Apply the " + r.plan().fixes().size() + " statements of " + id + " on " + r.cluster()
                    + " now? Type yes: ");
            out.flush();
        }
        String answer = in.readLine();
        if (answer == null || !answer.trim().equalsIgnoreCase("yes")) {
            say("Not approved; nothing was run.");
            return;
        }
        RepairOutcome o = repairService().approve(id, r.revision(), user, true, row -> say("  " + row.line()));
        say(RepairText.outcome(o));
        if (o.kind() == RepairOutcome.Kind.REPAIRED_IDENTICAL) {
            // Said only now: the repaired rows verified identical on both nodes.
            say(">> " + r.cluster() + " is back in sync with identical data: " + o.after().headline() + ".");
        }
    }

    private void reject(String[] words) {
        String planId = required(words, 1, "reject <plan-id>");
        if (!PLAN_ID.matcher(planId).matches()) {
            throw new UsageException("'" + planId + "' is not a plan id (like p-abcd2345)");
        }
        ApprovalOutcome result = service.reject(planId, user, true);
        say(result.message());
    }

    private String help() {
        return """
                Commands:
                  status [cluster]          one line per cluster and the node table
                  diagnose <cluster>        findings with their evidence
                  plan <cluster>            diagnosis plus the recovery plan (SQL per node, risks, data loss)
                  approve <plan-id> [opt]   run an option of a plan after re-checking the servers
                  repair <verification-id> --source <node>
                                            the statements that give the other node the source's rows
                  approve <repair-id>       apply them (rows changed since the verification are skipped)
                  reject <plan-id>          drop a plan
                  watch <cluster>           follow the lag until both nodes are in sync
                  audit <cluster>           crash-safety settings of every node with the fixes (changes nothing)
                  verify <cluster> [t ...]  compare the data of both nodes (schema or schema.table), row by row
                  history [cluster]         the audit trail
                  quit""";
    }

    private void say(String text) {
        synchronized (out) {
            out.println(text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
            out.flush();
        }
    }

    private static Optional<String> arg(String[] words, int i) {
        return words.length > i ? Optional.of(words[i]) : Optional.empty();
    }

    private static String required(String[] words, int i, String usage) {
        return arg(words, i).orElseThrow(() -> new UsageException("usage: " + usage));
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
