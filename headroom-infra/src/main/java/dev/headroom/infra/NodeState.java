package dev.headroom.infra;

/** Where a {@link Node}'s process is in its lifecycle. An external server is always {@link #RUNNING} as far as Infra knows. */
public enum NodeState {
    /** Started and answering (or, for an external server, answered when checked). */
    RUNNING,
    /** Stopped with SIGSTOP: the process and its children hold their sockets but answer nothing until thawed. */
    FROZEN,
    /** Ended by SIGKILL, as a crash would; {@link Node#restart()} starts it again on the same data. */
    KILLED,
    /** Shut down in order; {@link Node#restart()} starts it again on the same data. */
    STOPPED
}
