package dev.switchboard.jobs;

import java.time.Duration;

/**
 * Periodic work that replicas share: across all replicas it runs once per interval, on whichever replica claims
 * its lease in the job_lease table. Beans of this type are scheduled by the job runner.
 */
public interface SharedJob {

    /** The lease's name: unique among jobs, stable across releases. */
    String name();

    /** How often the job runs, counted from the start of one scheduled run to the next. */
    Duration interval();

    /** One run; an exception is logged and the job runs again at the next interval. */
    void run();
}
