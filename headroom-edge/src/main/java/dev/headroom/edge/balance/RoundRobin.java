package dev.headroom.edge.balance;

import java.util.concurrent.atomic.AtomicLong;

/** Each endpoint in turn; one atomic increment per pick. */
final class RoundRobin extends SnapshotBalancer {
    private final AtomicLong next = new AtomicLong();

    @Override
    public Endpoint pick(long key) {
        Endpoint[] e = array();
        return e.length == 0 ? null : e[(int) Long.remainderUnsigned(next.getAndIncrement(), e.length)];
    }
}
