package io.mysqlresync.schedule;

import io.mysqlresync.incident.VerificationOrder;
import io.mysqlresync.verify.CancelToken;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.InterruptableJob;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * One verification of one cluster, run once. Keyed by cluster, so a cluster is never verified
 * twice at once; its order is the job's data, in the job store: with the clustered store a
 * replica that dies mid-run leaves the job to another (Quartz recovers it), and a verifying
 * incident whose job is gone anyway is started again by the monitor
 * ({@code IncidentLifecycle.restartVerificationIfLost}). Interrupting it (the scheduler
 * stopping) cancels the statements on the nodes.
 */
@DisallowConcurrentExecution
final class VerificationJob implements InterruptableJob {

    static final String GROUP = "verify";

    private final Verifier verifier;
    private final CancelToken cancel = new CancelToken();

    VerificationJob(Verifier verifier) {
        this.verifier = verifier;
    }

    static JobKey key(String cluster) {
        return new JobKey(cluster, GROUP);
    }

    @Override
    public void execute(JobExecutionContext context) {
        verifier.run(order(context.getMergedJobDataMap()), cancel);
    }

    @Override
    public void interrupt() {
        cancel.cancel();
    }

    static JobDataMap data(VerificationOrder o) {
        JobDataMap m = new JobDataMap();
        m.put("cluster", o.cluster());
        m.put("reason", o.reason().name());
        m.put("scope", o.scope().name());
        m.put("incidentId", o.incidentId());
        m.put("channel", o.channel());
        m.put("messageTs", o.messageTs());
        m.put("threadTs", o.threadTs());
        // Strings only: the clustered job store keeps the data as properties.
        m.put("tables", String.join(" ", o.tables()));
        m.put("requestedBy", o.requestedBy());
        m.put("at", Long.toString(o.at().toEpochMilli()));
        return m;
    }

    static VerificationOrder order(JobDataMap m) {
        String tables = m.getString("tables");
        List<String> list = tables == null || tables.isBlank() ? List.of() : Arrays.asList(tables.trim().split(" +"));
        return new VerificationOrder(m.getString("cluster"), VerificationOrder.Reason.valueOf(m.getString("reason")),
                VerificationOrder.Scope.valueOf(m.getString("scope")), m.getString("incidentId"), m.getString("channel"),
                m.getString("messageTs"), m.getString("threadTs"), list, m.getString("requestedBy"),
                Instant.ofEpochMilli(Long.parseLong(m.getString("at"))));
    }
}
