package io.mysqlresync.app;

import io.mysqlresync.config.AppConfig;
import io.mysqlresync.console.RepairText;
import io.mysqlresync.incident.ApprovalPolicy;
import io.mysqlresync.incident.RepairOutcome;
import io.mysqlresync.incident.RepairRequest;
import io.mysqlresync.incident.RepairService;
import io.mysqlresync.mysql.JdbcDataVerifier;
import io.mysqlresync.mysql.JdbcRowRepairs;
import io.mysqlresync.mysql.NodeConnections;
import io.mysqlresync.repair.RepairPlanner;
import io.mysqlresync.store.JdbcRepairPlans;
import io.mysqlresync.store.JdbcResyncStore;
import io.mysqlresync.store.JdbcVerificationLog;
import io.mysqlresync.store.StateDatabase;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Set;

/**
 * `repair <verification-id> --source <node>`: prints the statements that make the other node
 * hold the source's rows, and applies them only after a typed "yes", as terminal mode's approve.
 * Exit 0 repaired and verified identical; 2 applied but rows were skipped (changed since the
 * verification) or still differ; 1 refused, not confirmed or failed; 64 usage.
 */
final class RepairCommand {

    private RepairCommand() {
    }

    static RepairService service(AppConfig config, StateDatabase db, NodeConnections connections, ApprovalPolicy policy,
                                 Clock clock) {
        return new RepairService(new JdbcVerificationLog(db.dataSource()),
                new JdbcDataVerifier(connections, VerifyCommand.options(config), Clock.systemUTC()),
                new JdbcRowRepairs(connections, config.verify().queryTimeout()),
                new JdbcRepairPlans(db.dataSource()), new RepairPlanner(config.verify().repairMaxRows()),
                policy, config.approvals().planExpiry(),
                new JdbcResyncStore(db.dataSource()), clock);
    }

    static int run(AppConfig config, String verificationId, String source, BufferedReader in, PrintStream out,
                   PrintStream err) throws IOException {
        String user = ApprovalPolicy.CONSOLE_PREFIX + System.getProperty("user.name", "operator");
        try (StateDatabase db = StateDatabase.open(config.state());
             NodeConnections connections = new NodeConnections(config.clusters())) {
            // The terminal's user holds the bot's credentials: an approver (see ApprovalPolicy).
            RepairService service = service(config, db, connections, new ApprovalPolicy(Set.of(), false, true),
                    Clock.systemUTC());
            RepairRequest r;
            try {
                r = service.propose(verificationId, source, user, "console");
            } catch (IllegalArgumentException e) {
                err.println(e.getMessage());
                return Main.USAGE;
            }
            out.print(RepairText.plan(r));
            if (r.plan().refused() || r.manual()) {
                return 1;
            }
            if (!r.plan().ready()) {
                err.println("name the source of truth: repair " + verificationId + " --source <"
                        + String.join("|", r.plan().nodes()) + ">");
                return Main.USAGE;
            }
            out.print("\nType yes to apply these " + r.plan().fixes().size() + " statements (anything else cancels): ");
            out.flush();
            String answer = in.readLine();
            if (answer == null || !answer.trim().equals("yes")) {
                out.println(RepairText.outcome(service.reject(r.id(), user, true)));
                return 1;
            }
            RepairOutcome o = service.approve(r.id(), r.revision(), user, true, row -> out.println("  " + row.line()));
            out.println(RepairText.outcome(o));
            return o.kind().exitCode();
        }
    }
}
