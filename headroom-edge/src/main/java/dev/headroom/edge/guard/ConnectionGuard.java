package dev.headroom.edge.guard;

import io.netty.channel.Channel;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Connection hygiene for an HTTP/1.1 server, like nginx's: a request-header read timeout, a body read timeout, an
 * idle keep-alive timeout, and limits on open connections in total and per client address (see {@link GuardConfig}
 * for the semantics and defaults). One guard per server (shared by all its event loops); {@link #install} it on each
 * accepted connection: a plain Netty pipeline or a Vert.x 5 {@link io.vertx.core.http.HttpServer#connectionHandler}.
 *
 * <p>What a client reads: past a limit, {@code 503} problem+json with {@code Retry-After} and
 * {@code Connection: close}; past the header or body timeout, {@code 408} problem+json when nothing of a response was
 * written yet (otherwise just the close); past the keep-alive timeout only the close, as nginx does. After a 503 or
 * 408 the guard half-closes and drains what the client still sends for up to 2 s before it closes, so that the
 * client reads the answer instead of a reset.
 *
 * <p>Costs: the counts are kept on connect and close only (an atomic counter, and a {@link ConcurrentHashMap} entry
 * per client address); per request the guard reads the clock and moves one timer on the connection's own event
 * loop, without locks.
 */
public final class ConnectionGuard {
    private final GuardConfig config;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private final Map<CloseReason, LongAdder> closed = new EnumMap<>(CloseReason.class);

    public ConnectionGuard(GuardConfig config) {
        this.config = Objects.requireNonNull(config, "config (GuardConfig.defaults() for the defaults)");
        for (CloseReason r : CloseReason.values()) {
            closed.put(r, new LongAdder());
        }
    }

    public GuardConfig config() {
        return config;
    }

    /**
     * Guards a Netty channel whose pipeline decodes HTTP/1.1: adds one handler first (it sees the raw bytes) and one
     * just before {@code handlerName} (it sees decoded requests and the responses written), or refuses the connection
     * when it is over a limit. Call on the channel's event loop, before it reads.
     *
     * @return false if the connection was refused
     */
    public boolean install(Channel channel, String handlerName) {
        InetAddress address = channel.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
        GuardedConnection connection = new GuardedConnection(this, channel, handlerName);
        CloseReason refusal = admit(address);
        if (refusal != null) {
            count(refusal);
            connection.refuse(refusal);
            return false;
        }
        channel.closeFuture().addListener(f -> release(address));
        connection.start();
        return true;
    }

    /** Guards a Vert.x 5 HTTP/1.x connection, from the server's {@code connectionHandler}; false if it was refused. */
    public boolean install(HttpConnection connection) {
        // Vert.x's HTTP/1.x pipeline: httpDecoder, httpEncoder, [inflater, deflater, chunkedWriter, idle], handler
        return install(((ConnectionBase) connection).channel(), "handler");
    }

    /** Connections open now (admitted and not yet closed). */
    public int open() {
        return open.get();
    }

    /** Connections closed or refused for this reason so far. */
    public long closed(CloseReason reason) {
        return closed.get(reason).sum();
    }

    void count(CloseReason reason) {
        closed.get(reason).increment();
    }

    /** Counts the connection in, or says which limit it is over (and counts nothing). */
    private CloseReason admit(InetAddress address) {
        if (open.incrementAndGet() > config.maxConnections()) {
            open.decrementAndGet();
            return CloseReason.LIMIT_TOTAL;
        }
        if (address == null) {
            return null;
        }
        if (perAddress.merge(address, 1, Integer::sum) > config.maxConnectionsPerAddress()) {
            release(address);
            return CloseReason.LIMIT_ADDRESS;
        }
        return null;
    }

    private void release(InetAddress address) {
        open.decrementAndGet();
        if (address != null) {
            perAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1); // no entry is kept for a gone client
        }
    }
}
