package io.mysqlresync.store;

import org.quartz.spi.InstanceIdGenerator;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names a bot replica in the clustered job store, and so in {@code status}, as host/pid: an
 * operator sees which process polls which shard, where Quartz's own AUTO id (the host name and
 * a start time in milliseconds) says little. A second scheduler in the same process (tests, the
 * demo) gets "#2" after it, so ids stay unique.
 */
public final class ReplicaInstanceId implements InstanceIdGenerator {

    private static final AtomicInteger IN_THIS_PROCESS = new AtomicInteger();

    @Override
    public String generateInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        int n = IN_THIS_PROCESS.incrementAndGet();
        String id = host + "/" + ProcessHandle.current().pid() + (n == 1 ? "" : "#" + n);
        // QRTZ_SCHEDULER_STATE.INSTANCE_NAME is VARCHAR(190).
        return id.length() <= 190 ? id : id.substring(id.length() - 190);
    }
}
