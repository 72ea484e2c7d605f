package io.mysqlresync.schedule;

import io.mysqlresync.audit.AuditReports;
import io.mysqlresync.audit.CrashSafety;
import io.mysqlresync.config.MonitorSettings;
import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.incident.BotMetrics;
import io.mysqlresync.incident.IncidentLifecycle;
import io.mysqlresync.incident.LagWatch;
import io.mysqlresync.incident.MonitorShards;
import io.mysqlresync.incident.Notifier;
import io.mysqlresync.incident.ResyncService;
import io.mysqlresync.incident.ResyncStore;
import io.mysqlresync.incident.Incident;
import io.mysqlresync.incident.VerificationOrder;
import io.mysqlresync.ledger.LossLedger;
import io.mysqlresync.incident.ShardPoll;
import io.mysqlresync.incident.ScheduledAudit;
import io.mysqlresync.replication.ClusterReader;
import io.mysqlresync.verify.DataVerifier;
import io.mysqlresync.verify.VerificationLog;
import io.mysqlresync.incident.ScheduledAudit;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.simpl.SimpleThreadPool;
import org.quartz.impl.matchers.GroupMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TimeZone;

/**
 * The bot's clockwork on a real Quartz scheduler: {@code monitor.shards} monitor jobs that each
 * poll their share of the configured clusters (by {@link MonitorShards}) every
 * {@code pollInterval}, the clusters in parallel, alerting once per incident, and a
 * lag watch job per recovered cluster, updating one progress message every
 * {@code progressInterval} until the pair is back in sync.
 *
 * <p>With an in-memory job store ({@link #inMemory}) everything lives in this process; lag
 * watches are resumed from the {@link ResyncStore} at {@link #start()}. With Quartz's clustered
 * JDBC job store on the state database, the jobs live in the database: each shard's sweep or a
 * check runs on one replica, Quartz spreads the shards over the live replicas, and the jobs of a
 * replica that dies are run by the others. Each shard's last poll (which replica, when) is in the
 * store; a shard not polled within two intervals is announced late. Quartz only triggers:
 * what a poll or check leaves for the next is in the {@link ResyncStore}, and every incident and
 * plan move goes through the {@link IncidentLifecycle}.
 *
 * <p>Jobs get their collaborators from this object's {@link org.quartz.spi.JobFactory}, not from
 * statics, so several schedulers (several bot replicas) can share one JVM, as the tests do.
 */
public final class ResyncScheduler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ResyncScheduler.class);

    /** Quartz keeps schedulers in a JVM-wide registry by name; see {@link #create}. */
    private static final Object REGISTRY = new Object();

    static final String MISFIRE_THRESHOLD = "org.quartz.jobStore.misfireThreshold";

    private final Scheduler quartz;
    /** Quartz's workers, counted: null when the properties named a pool of their own. */
    private final WorkerPool workers;

    /** Whether the stop can count Quartz's workers (see {@link #close()}). */
    boolean countsWorkers() {
        return workers != null;
    }
    private final List<String> clusters;
    private final ResyncStore store;
    private final MonitorSettings settings;
    private final IncidentLifecycle lifecycle;
    private final MonitorSweep sweep;
    /** Set by {@link #start()}: shards are checked for lateness only once this replica has run two intervals. */
    private volatile Instant startedAt = Instant.MAX;
    /** Set by {@link #followRecoveries}; plan expiry needs it. */
    private volatile ResyncService service;
    private final ClusterReader reader;
    private final Diagnoser diagnoser;
    private final Clock clock;
    /** Set by {@link #verifyWith}: runs the verifications the lifecycle orders. */
    private volatile Verifier verifier;
    private volatile String verifySchedule = "";
    private final BotMetrics metrics;
    private final Notifier notifier;
    /** Set by {@link #auditSettings}; cron "off": remove the job; null: leave the job store alone. */
    private volatile ScheduledAudit scheduledAudit;
    private volatile String auditCron;

    /**
     * @param quartzProperties a Quartz configuration: {@link #inMemory} for one bot, or the
     *                         clustered JDBC job store's properties from the state database
     * @param clusters         the configured clusters, split over {@code settings.shards()} monitor jobs
     * @throws IllegalStateException when Quartz rejects the configuration, with its reason
     */
    public ResyncScheduler(Properties quartzProperties, List<String> clusters, ClusterReader reader,
                           ResyncStore store, Notifier notifier, MonitorSettings settings, Clock clock) {
        this(quartzProperties, clusters, reader, store, notifier, settings, clock, BotMetrics.NONE);
    }

    /** @param metrics told about every sweep and, after each poll, whether the cluster has an open incident */
    public ResyncScheduler(Properties quartzProperties, List<String> clusters, ClusterReader reader,
                           ResyncStore store, Notifier notifier, MonitorSettings settings, Clock clock,
                           BotMetrics metrics) {
        this.clusters = List.copyOf(clusters);
        this.store = store;
        this.settings = settings;
        this.notifier = notifier;
        this.clock = clock;
        this.lifecycle = new IncidentLifecycle(store, notifier, clock, this::follow);
        this.reader = reader;
        Diagnoser diagnoser = new Diagnoser(new Thresholds(settings.lagThreshold().toSeconds(),
                settings.recentRestart().toSeconds()));
        this.diagnoser = diagnoser;
        this.metrics = metrics;
        ClusterMonitor monitor = new ClusterMonitor(reader, diagnoser, store, lifecycle, clock, metrics);
        this.sweep = new MonitorSweep(monitor, settings.pollInterval().dividedBy(2),
                Math.max(1, Math.min(MAX_PARALLEL_POLLS, this.clusters.size())), metrics);
        LagWatcher watcher = new LagWatcher(reader, diagnoser, store, notifier, lifecycle, settings);
        Created created = create(withIdleWait(withThreadsForShards(withMisfireThreshold(quartzProperties, settings),
                settings), settings));
        this.quartz = created.scheduler();
        this.workers = created.workers();
        try {
            quartz.setJobFactory((bundle, scheduler) -> {
                Class<?> type = bundle.getJobDetail().getJobClass();
                if (type == MonitorJob.class) {
                    return new MonitorJob(this::pollShard);
                }
                if (type == LagWatchJob.class) {
                    return new LagWatchJob(watcher);
                }
                if (type == PlanExpiryJob.class && service != null) {
                    return new PlanExpiryJob(service, notifier);
                }
                if (type == VerificationJob.class && verifier != null) {
                    return new VerificationJob(verifier);
                }
                if (type == ScheduledVerificationJob.class && verifier != null) {
                    return new ScheduledVerificationJob(this.clusters, this::scheduledVerification);
                }
                if (type == AuditJob.class && scheduledAudit != null) {
                    return new AuditJob(scheduledAudit);
                }
                throw new SchedulerException("mysql-resync does not know job class " + type.getName()
                        + " (job " + bundle.getJobDetail().getKey() + "); is an older or newer bot sharing the job store?");
            });
        } catch (SchedulerException e) {
            shutdownQuietly();
            sweep.close();
            throw new IllegalStateException("could not set up the Quartz scheduler: " + e.getMessage(), e);
        }
    }

    /**
     * Quartz properties for one bot with jobs in memory.
     *
     * @param name    scheduler name, shown in thread names and logs
     * @param threads worker threads: one for the monitor, the plan expiry and each concurrent lag watch
     */
    public static Properties inMemory(String name, int threads) {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", name);
        p.setProperty("org.quartz.scheduler.makeSchedulerThreadDaemon", "true");
        p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(Math.max(1, threads)));
        p.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        return p;
    }

    /**
     * Schedules the monitor shards, resumes every lag watch found in the store and starts firing.
     * Idempotent across replicas: jobs already in a shared job store are kept (with their data)
     * unless their interval changed.
     */
    public void start() {
        try {
            store.retainNodeStarts(clusters);
            startedAt = clock.instant();
            store.retainShards(settings.shards(), startedAt);
            Set<JobKey> shards = new HashSet<>();
            for (int shard = 0; shard < settings.shards(); shard++) {
                shards.add(ensureMonitorShard(shard, settings.shards()));
            }
            for (JobKey key : quartz.getJobKeys(GroupMatcher.jobGroupEquals(MonitorJob.GROUP))) {
                if (!shards.contains(key)) {
                    // An older layout: a job per cluster, one job for every cluster, or another shard count.
                    log.info("removing the monitor job '{}' of an older layout: {} shard jobs now poll the clusters",
                            key.getName(), settings.shards());
                    quartz.deleteJob(key);
                }
            }
            if (service != null) {
                ensurePlanExpiry();
            }
            ensureVerifySchedule();
            ensureAudit();
            for (LagWatch watch : store.watches()) {
                if (!quartz.checkExists(watchKey(watch.cluster()))) {
                    log.info("resuming the lag watch of {} started at {}", watch.cluster(), watch.startedAt());
                    scheduleWatch(watch.cluster(), watch.startedAt(), false);
                }
            }
            quartz.start();
        } catch (SchedulerException e) {
            throw new IllegalStateException("could not start the scheduler: " + e.getMessage(), e);
        }
    }

    /**
     * Watches the lag of {@code cluster} until every node is in sync: posts a progress message in
     * {@code channel} (in the thread of {@code threadTs} when given) and updates it every
     * progressInterval. A watch already running on the cluster is replaced. See
     * {@link IncidentLifecycle#startWatch}.
     */
    public void startWatch(String cluster, String channel, String threadTs, String incidentId) {
        requireConfigured(cluster);
        lifecycle.startWatch(cluster, channel, threadTs, incidentId);
    }

    /** A person asked to watch the lag (Slack or terminal): audited, tied to the open incident. */
    public void watchRequested(String cluster, String channel, String threadTs, String requestedBy) {
        requireConfigured(cluster);
        lifecycle.watchRequested(cluster, channel, threadTs, requestedBy);
    }

    private void requireConfigured(String cluster) {
        if (!clusters.contains(cluster)) {
            throw new IllegalArgumentException("cannot watch '" + cluster + "': not a configured cluster "
                    + clusters);
        }
    }

    /** The lifecycle stored a new watch: run its job here (replacing the job of an earlier watch). */
    private void follow(LagWatch watch) {
        try {
            scheduleWatch(watch.cluster(), watch.startedAt(), true);
        } catch (SchedulerException e) {
            throw new IllegalStateException("could not schedule the lag watch of " + watch.cluster() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Starts a lag watch after every successful recovery, in the plan's channel and thread, tied to
     * the cluster's open incident if there is one. The app calls this once at startup.
     */
    public void followRecoveries(ResyncService service) {
        this.service = service;
        service.onRecovery(plan -> {
            try {
                lifecycle.recoveryRan(plan);
            } catch (RuntimeException e) {
                // The recovery itself succeeded; failing the approval over the watch would mislead.
                log.error("plan {} on {} succeeded but its lag watch could not start: {}", plan.id(), plan.cluster(),
                        e.getMessage(), e);
            }
        });
    }

    /**
     * Verifies the data: after every recovery (per {@code afterRecovery}), after every restart the
     * monitor notices, and on {@code cron} (a Quartz cron expression; empty: never). Call before
     * {@link #start()}. Without it, caught-up replication is said "not verified".
     *
     * @param include the tables a verification compares when none are named (empty: every replicated table)
     */
    public void verifyWith(DataVerifier dataVerifier, VerificationLog log, List<String> include,
                           IncidentLifecycle.AfterRecovery afterRecovery, String cron) {
        verifyWith(dataVerifier, log, include, afterRecovery, cron, this::recoveredFrom);
    }

    /**
     * The loss ledger of the plan that recovered the order's incident: the newest plan executed on
     * the cluster since the incident opened. Its rows at risk are compared first.
     */
    private LossLedger recoveredFrom(VerificationOrder order) {
        return IncidentLifecycle.recoveryLedger(store, order.cluster(), order.incidentId());
    }

    void verifyWith(DataVerifier dataVerifier, VerificationLog log, List<String> include,
                    IncidentLifecycle.AfterRecovery afterRecovery, String cron, Verifier.LedgerKeys ledger) {
        this.verifier = new Verifier(dataVerifier, log, reader, diagnoser, lifecycle, include, ledger, clock,
                metrics);
        this.verifySchedule = cron == null ? "" : cron.trim();
        lifecycle.verifyWith(new IncidentLifecycle.Verifications() {
            @Override
            public boolean start(VerificationOrder order) {
                return startVerification(order);
            }

            @Override
            public boolean running(String cluster) {
                return verifying(cluster);
            }
        }, afterRecovery);
    }

    /** Whether a verification of the cluster is scheduled or running (in this scheduler's job store). */
    public boolean verifying(String cluster) {
        try {
            return quartz.checkExists(VerificationJob.key(cluster));
        } catch (SchedulerException e) {
            throw new IllegalStateException("could not ask the scheduler about " + cluster + ": " + e.getMessage(), e);
        }
    }

    /** One-shot, keyed by cluster; false when the cluster already has one scheduled or running. */
    private boolean startVerification(VerificationOrder order) {
        requireConfigured(order.cluster());
        JobKey key = VerificationJob.key(order.cluster());
        JobDetail job = JobBuilder.newJob(VerificationJob.class).withIdentity(key)
                .withDescription(order.reason().name().toLowerCase() + " verification of " + order.cluster())
                .usingJobData(VerificationJob.data(order))
                // A replica that dies mid-run: another runs it again.
                .requestRecovery(true)
                .build();
        Trigger now = TriggerBuilder.newTrigger().withIdentity(new TriggerKey(order.cluster(), VerificationJob.GROUP))
                .forJob(key).startNow()
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
                .build();
        try {
            if (quartz.checkExists(key)) {
                return false;
            }
            quartz.scheduleJob(job, now);
            return true;
        } catch (ObjectAlreadyExistsException e) {
            return false;
        } catch (SchedulerException e) {
            throw new IllegalStateException("could not schedule the verification of " + order.cluster() + ": "
                    + e.getMessage(), e);
        }
    }

    private void scheduledVerification(String cluster) {
        try {
            if (!startVerification(new VerificationOrder(cluster, VerificationOrder.Reason.SCHEDULE,
                    VerificationOrder.Scope.FULL, "", "", "", "", List.of(), "bot", clock.instant()))) {
                log.info("scheduled verification of {}: one is already running", cluster);
            }
        } catch (RuntimeException e) {
            log.warn("scheduled verification of {} could not start: {}", cluster, e.toString(), e);
        }
    }

    static final TriggerKey VERIFY_SCHEDULE_TRIGGER = new TriggerKey(ScheduledVerificationJob.KEY.getName(),
            ScheduledVerificationJob.KEY.getGroup());

    /** The cron trigger of verify.schedule: created, changed with the setting, or removed when it is off. */
    private void ensureVerifySchedule() throws SchedulerException {
        JobKey key = ScheduledVerificationJob.KEY;
        if (verifier == null || verifySchedule.isEmpty()) {
            if (quartz.checkExists(key)) {
                log.info("scheduled verification is off: removing its job");
                quartz.deleteJob(key);
            }
            return;
        }
        Trigger trigger = TriggerBuilder.newTrigger().withIdentity(VERIFY_SCHEDULE_TRIGGER).forJob(key)
                .withSchedule(CronScheduleBuilder.cronSchedule(verifySchedule)
                        .withMisfireHandlingInstructionDoNothing())
                .build();
        if (!quartz.checkExists(key)) {
            JobDetail job = JobBuilder.newJob(ScheduledVerificationJob.class).withIdentity(key)
                    .withDescription("verifies every cluster's data on " + verifySchedule).build();
            try {
                quartz.scheduleJob(job, trigger);
            } catch (ObjectAlreadyExistsException e) {
                // another replica scheduled it
            }
            return;
        }
        Trigger existing = quartz.getTrigger(VERIFY_SCHEDULE_TRIGGER);
        if (!(existing instanceof CronTrigger ct) || !ct.getCronExpression().equals(verifySchedule)) {
            log.info("scheduled verification: now {}", verifySchedule);
            if (existing == null) {
                quartz.scheduleJob(trigger);
            } else {
                quartz.rescheduleJob(VERIFY_SCHEDULE_TRIGGER, trigger);
            }
        }
    }

    /**
     * Wires the crash-safety audit: alerts name the settings that explain them, the end of a
     * recovery recommends the fixes, and with a cron expression ({@code audit.schedule}) a
     * scheduled audit posts what changed since the last one. "off" removes the scheduled audit
     * from the job store; null leaves it to the replicas that run it (a terminal session). Call
     * before {@link #start()}.
     */
    public void auditSettings(CrashSafety crashSafety, AuditReports reports, String cron) {
        lifecycle.auditWith(crashSafety);
        this.scheduledAudit = new ScheduledAudit(clusters, crashSafety, reports, store, notifier, clock);
        this.auditCron = cron;
    }

    /** Runs the scheduled audit now, as its job would (tests; an operator's "audit everything now"). */
    public boolean auditNow(String cluster) {
        if (scheduledAudit == null) {
            throw new IllegalStateException("the crash-safety audit is not wired");
        }
        return scheduledAudit.run(cluster);
    }

    /** Whether the scheduled audit job is in the job store. */
    public boolean auditScheduled() {
        return hasJob(AUDIT_JOB);
    }

    /** Whether a lag watch job for the cluster is scheduled (in this scheduler's job store). */
    public boolean watching(String cluster) {
        try {
            return quartz.checkExists(watchTriggerKey(cluster));
        } catch (SchedulerException e) {
            throw new IllegalStateException("could not ask the scheduler about " + cluster + ": " + e.getMessage(), e);
        }
    }

    /** Whether the cluster is configured and the monitor shard job that polls it is scheduled. */
    public boolean monitoring(String cluster) {
        try {
            return clusters.contains(cluster) && quartz.checkExists(
                    shardTriggerKey(MonitorShards.of(cluster, settings.shards()), settings.shards()));
        } catch (SchedulerException e) {
            throw new IllegalStateException("could not ask the scheduler about " + cluster + ": " + e.getMessage(), e);
        }
    }

    /** For readiness: started, not paused, not shut down. Why not, when not. */
    public Optional<String> notRunning() {
        try {
            if (quartz.isShutdown()) return Optional.of("scheduler shut down");
            if (!quartz.isStarted() || quartz.isInStandbyMode()) return Optional.of("scheduler not started");
            return Optional.empty();
        } catch (SchedulerException e) {
            return Optional.of("scheduler: " + e.getMessage());
        }
    }

    /** Whether the job store holds this job (the tests look for jobs of older versions). */
    boolean hasJob(JobKey key) {
        try {
            return quartz.checkExists(key);
        } catch (SchedulerException e) {
            throw new IllegalStateException("could not ask the scheduler about " + key + ": " + e.getMessage(), e);
        }
    }

    /** How long {@link #close()} waits for running jobs: a poll or a watch update takes a few seconds at most. */
    static final Duration STOP_WAIT = Duration.ofSeconds(10);
    /** How long no job may run before the stop shuts the job store: see {@link #close()}. */
    static final Duration QUIET = Duration.ofMillis(100);

    /**
     * Stops firing and waits (up to {@link #STOP_WAIT}) for running jobs to finish. Jobs in a
     * shared job store stay for the other replicas.
     *
     * <p>Not {@code shutdown(true)}: when the state database is gone (H2 closed by its own
     * shutdown hook on SIGTERM, or a MySQL state server down), a finished job's worker retries
     * recording its end until the job store is shut down, which {@code shutdown(true)} does only
     * after the workers are done: the stop never ended.
     */
    @Override
    public void close() {
        try {
            quartz.standby();
            for (var running : quartz.getCurrentlyExecutingJobs()) {
                if (running.getJobDetail().getKey().getGroup().equals(VerificationJob.GROUP)) {
                    // Hours of comparing must not hold the stop: cancelled, its verdict says "not verified".
                    quartz.interrupt(running.getJobDetail().getKey());
                }
            }
            long until = System.nanoTime() + STOP_WAIT.toNanos();
            // A job leaves the executing list before its end is recorded in the job store, so the
            // workers' own count (WorkerPool) must be 0 too; and a trigger the scheduler thread
            // was firing as standby came reaches a worker a moment later, so both must stay quiet
            // for QUIET before the job store is shut down under them.
            long quietSince = -1;
            while (System.nanoTime() < until) {
                boolean busy = !quartz.getCurrentlyExecutingJobs().isEmpty() || (workers != null && workers.running() > 0);
                if (busy) {
                    quietSince = -1;
                } else if (quietSince < 0) {
                    quietSince = System.nanoTime();
                } else if (System.nanoTime() - quietSince >= QUIET.toNanos()) {
                    break;
                }
                Thread.sleep(20);
            }
            if (!quartz.getCurrentlyExecutingJobs().isEmpty() || (workers != null && workers.running() > 0)) {
                log.warn("scheduler {}: jobs still running after {} s, stopping without them: {} ({} worker(s) busy)",
                        name(), STOP_WAIT.toSeconds(), quartz.getCurrentlyExecutingJobs().stream()
                                .map(c -> c.getJobDetail().getKey().toString()).toList(),
                        workers == null ? "?" : workers.running());
            }
            quartz.shutdown(false);
        } catch (SchedulerException e) {
            log.warn("scheduler {} did not shut down cleanly: {}", name(), e.toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdownQuietly();
        }
        sweep.close();
    }

    String name() {
        try {
            return quartz.getSchedulerName() + "/" + quartz.getSchedulerInstanceId();
        } catch (SchedulerException e) {
            return "?";
        }
    }

    static TriggerKey shardTriggerKey(int shard, int shards) {
        return new TriggerKey(MonitorJob.key(shard, shards).getName(), MonitorJob.GROUP);
    }

    /** Polls of different clusters at once; more would only queue on the reader's threads. */
    static final int MAX_PARALLEL_POLLS = 64;

    /**
     * One poll of a shard, on whichever replica Quartz gave it to: recorded in the store, then
     * every shard's record is checked for one nobody polled. Never throws: the next poll tries again.
     */
    void pollShard(int shard, int shards, String instance) {
        Instant start = clock.instant();
        try {
            store.shardPollStarted(shard, instance, start);
        } catch (RuntimeException e) {
            log.warn("{}: could not record its poll, polling anyway: {}", ShardPoll.label(shard, shards), e.toString());
        }
        sweep.sweep(MonitorShards.clustersOf(shard, shards, clusters));
        try {
            store.shardPollEnded(shard, start, clock.instant());
            // After a stop of every replica the records are old: the shards get their first
            // polls before any is called late.
            if (clock.instant().isAfter(startedAt.plus(lateAfter()))) {
                lifecycle.checkShards(store.shardPolls(), settings.shards(), lateAfter());
            }
        } catch (RuntimeException e) {
            log.warn("{}: could not record its poll or check the other shards: {}", ShardPoll.label(shard, shards),
                    e.toString(), e);
        }
    }

    /** A shard not polled for this long is announced late. */
    Duration lateAfter() {
        return settings.pollInterval().multipliedBy(2);
    }

    /**
     * The shard's job and trigger, unless they exist. A new trigger's first run is placed at its
     * share of the interval, so the shards' sweeps follow each other rather than start together.
     */
    private JobKey ensureMonitorShard(int shard, int shards) throws SchedulerException {
        JobKey key = MonitorJob.key(shard, shards);
        Instant first = Instant.now().plus(settings.pollInterval().multipliedBy(shard).dividedBy(shards));
        Trigger trigger = repeating(shardTriggerKey(shard, shards), key, settings.pollInterval(), first);
        if (!quartz.checkExists(key)) {
            JobDetail job = JobBuilder.newJob(MonitorJob.class).withIdentity(key)
                    .withDescription("polls the clusters of " + key.getName() + " and alerts once per incident")
                    .usingJobData(MonitorJob.SHARD, shard)
                    .usingJobData(MonitorJob.SHARDS, shards)
                    .build();
            try {
                quartz.scheduleJob(job, trigger);
            } catch (ObjectAlreadyExistsException e) {
                // Another replica scheduled it a moment ago; one is all it takes.
            }
            return key;
        }
        Trigger existing = quartz.getTrigger(trigger.getKey());
        boolean sameInterval = existing instanceof SimpleTrigger st
                && st.getRepeatInterval() == settings.pollInterval().toMillis();
        if (existing == null) {
            quartz.scheduleJob(trigger);
        } else if (!sameInterval) {
            log.info("monitor {}: poll interval is now {} ms", key.getName(), settings.pollInterval().toMillis());
            quartz.rescheduleJob(trigger.getKey(), trigger);
        }
        return key;
    }

    /**
     * Plans expire in minutes; a plan whose bot died is noticed {@link ResyncService#EXECUTOR_GONE_AFTER}
     * after its last heartbeat: checking every 5 s reports it within seconds of that.
     */
    static final Duration PLAN_EXPIRY_CHECK = Duration.ofSeconds(5);

    private void ensurePlanExpiry() throws SchedulerException {
        JobKey key = new JobKey(PlanExpiryJob.NAME, PlanExpiryJob.GROUP);
        if (quartz.checkExists(key)) {
            TriggerKey tk = new TriggerKey(PlanExpiryJob.NAME, PlanExpiryJob.GROUP);
            Trigger existing = quartz.getTrigger(tk);
            if (existing instanceof SimpleTrigger st && st.getRepeatInterval() != PLAN_EXPIRY_CHECK.toMillis()) {
                quartz.rescheduleJob(tk, repeating(tk, key, PLAN_EXPIRY_CHECK, Instant.now()));
            }
            return;
        }
        JobDetail job = JobBuilder.newJob(PlanExpiryJob.class).withIdentity(key)
                .withDescription("expires unapproved plans and removes their buttons").build();
        try {
            quartz.scheduleJob(job, repeating(new TriggerKey(PlanExpiryJob.NAME, PlanExpiryJob.GROUP), key,
                    PLAN_EXPIRY_CHECK, Instant.now()));
        } catch (ObjectAlreadyExistsException e) {
            // another replica scheduled it
        }
    }

    static final JobKey AUDIT_JOB = new JobKey(AuditJob.NAME, AuditJob.GROUP);

    /** The audit job on its cron, replaced when the cron changed, removed when turned off. */
    private void ensureAudit() throws SchedulerException {
        TriggerKey key = new TriggerKey(AuditJob.NAME, AuditJob.GROUP);
        if (scheduledAudit == null || auditCron == null) {
            return;
        }
        if (auditCron.equalsIgnoreCase("off")) {
            if (quartz.checkExists(AUDIT_JOB)) {
                log.info("scheduled audit: off; removing its job");
                quartz.deleteJob(AUDIT_JOB);
            }
            return;
        }
        Trigger trigger = TriggerBuilder.newTrigger().withIdentity(key).forJob(AUDIT_JOB)
                .withSchedule(CronScheduleBuilder.cronSchedule(auditCron).inTimeZone(TimeZone.getDefault())
                        .withMisfireHandlingInstructionFireAndProceed())
                .build();
        if (!quartz.checkExists(AUDIT_JOB)) {
            JobDetail job = JobBuilder.newJob(AuditJob.class).withIdentity(AUDIT_JOB)
                    .withDescription("audits every cluster's crash-safety settings and posts what changed").build();
            try {
                quartz.scheduleJob(job, trigger);
            } catch (ObjectAlreadyExistsException e) {
                // another replica scheduled it
            }
            return;
        }
        Trigger existing = quartz.getTrigger(key);
        if (existing == null) {
            quartz.scheduleJob(trigger);
        } else if (!(existing instanceof CronTrigger ct) || !ct.getCronExpression().equals(auditCron)) {
            log.info("scheduled audit: now on '{}'", auditCron);
            quartz.rescheduleJob(key, trigger);
        }
    }

    private void scheduleWatch(String cluster, Instant watchStartedAt, boolean replace) throws SchedulerException {
        JobKey key = new JobKey(cluster, LagWatchJob.GROUP);
        JobDetail job = JobBuilder.newJob(LagWatchJob.class).withIdentity(key)
                .withDescription("shows the lag of " + cluster + " falling until it is in sync")
                .usingJobData(LagWatchJob.CLUSTER, cluster)
                .usingJobData(LagWatchJob.WATCH_STARTED_AT, Long.toString(watchStartedAt.toEpochMilli()))
                .build();
        Trigger trigger = repeating(watchTriggerKey(cluster), key, settings.progressInterval(), Instant.now());
        try {
            quartz.scheduleJob(job, Set.of(trigger), replace);
        } catch (ObjectAlreadyExistsException e) {
            // Resumed by another replica at the same moment.
        }
    }

    /**
     * Every {@code interval} from {@code first}, forever. A run that comes late (the previous one
     * took long, or the bot was paused) runs once, now, and the schedule continues from there:
     * missed runs are skipped, never piled up.
     */
    private static Trigger repeating(TriggerKey key, JobKey job, Duration interval, Instant first) {
        return TriggerBuilder.newTrigger().withIdentity(key).forJob(job)
                .startAt(Date.from(first))
                .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                        .withIntervalInMilliseconds(interval.toMillis())
                        .repeatForever()
                        .withMisfireHandlingInstructionNowWithExistingCount())
                .build();
    }

    static JobKey watchKey(String cluster) {
        return new JobKey(cluster, LagWatchJob.GROUP);
    }

    static TriggerKey watchTriggerKey(String cluster) {
        return new TriggerKey(cluster, LagWatchJob.GROUP);
    }

    /**
     * Quartz counts a run as missed only when it is later than the misfire threshold (60 s by
     * default); a repeating trigger that is merely late fires back-to-back until it catches up
     * with its schedule. A threshold of one interval makes a late run a misfire, handled by
     * skipping to now. An explicit threshold in the given properties wins.
     */
    static Properties withMisfireThreshold(Properties given, MonitorSettings settings) {
        Properties p = new Properties();
        p.putAll(given);
        if (p.getProperty(MISFIRE_THRESHOLD) == null) {
            Duration shortest = settings.pollInterval().compareTo(settings.progressInterval()) <= 0
                    ? settings.pollInterval() : settings.progressInterval();
            p.setProperty(MISFIRE_THRESHOLD, Long.toString(Math.max(100, shortest.toMillis())));
        }
        return p;
    }

    static final String IDLE_WAIT = "org.quartz.scheduler.idleWaitTime";

    /**
     * A replica that finds no trigger to take sleeps idleWaitTime (30 s by default, less a random
     * part) before it looks again, while the replica that fired the last shard takes the next at
     * once: with three replicas one polled every shard and one none. Looking again every poll
     * interval (at least Quartz's 1 s) lets every live replica take shards as they come due. An
     * explicit value in the given properties wins.
     */
    static Properties withIdleWait(Properties given, MonitorSettings settings) {
        Properties p = new Properties();
        p.putAll(given);
        if (p.getProperty(IDLE_WAIT) == null) {
            long ms = Math.max(1000, Math.min(30_000, settings.pollInterval().toMillis()));
            p.setProperty(IDLE_WAIT, Long.toString(ms));
        }
        return p;
    }

    static final String THREAD_COUNT = "org.quartz.threadPool.threadCount";

    /**
     * A shard's job holds its Quartz worker while it spreads its polls over half the interval:
     * one replica alone must be able to run every shard at once, and the plan expiry and a lag
     * watch or two besides. Idle workers cost next to nothing; a Quartz replica takes one trigger
     * at a time whatever its free workers, so more workers do not take shards from the others.
     */
    static Properties withThreadsForShards(Properties given, MonitorSettings settings) {
        Properties p = new Properties();
        p.putAll(given);
        int wanted = settings.shards() + 3;
        String set = p.getProperty(THREAD_COUNT);
        if (set == null || Integer.parseInt(set.trim()) < wanted) {
            p.setProperty(THREAD_COUNT, Integer.toString(wanted));
        }
        return p;
    }

    /**
     * StdSchedulerFactory hands out the scheduler already registered under the same name, and
     * replicas of one clustered bot must share that name. Creating and unregistering under one
     * lock gives each instance its own scheduler, even in one JVM.
     */
    private record Created(Scheduler scheduler, WorkerPool workers) {
    }

    private static Created create(Properties given) {
        Properties properties = new Properties();
        properties.putAll(given);
        String pool = "org.quartz.threadPool.class";
        if (SimpleThreadPool.class.getName().equals(properties.getProperty(pool, SimpleThreadPool.class.getName()))) {
            properties.setProperty(pool, WorkerPool.class.getName()); // Quartz's own, counted: see close()
        }
        synchronized (REGISTRY) {
            try {
                WorkerPool.lastCreated = null;
                Scheduler s = new StdSchedulerFactory(properties).getScheduler();
                SchedulerRepository.getInstance().remove(s.getSchedulerName());
                WorkerPool workers = WorkerPool.lastCreated;
                WorkerPool.lastCreated = null;
                return new Created(s, workers);
            } catch (SchedulerException e) {
                throw new IllegalStateException("could not create the Quartz scheduler '"
                        + properties.getProperty("org.quartz.scheduler.instanceName", "QuartzScheduler") + "': "
                        + e.getMessage(), e);
            }
        }
    }

    private void shutdownQuietly() {
        try {
            quartz.shutdown(false);
        } catch (SchedulerException ignored) {
            // already failing
        }
    }
}
