package dev.headroom.infra.proxy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;

/**
 * A TCP proxy on 127.0.0.1 that forwards to one upstream server and injects network faults: latency with jitter,
 * a bandwidth cap, a stall, resets of current connections and refusal of new ones. It sees bytes, not protocol
 * messages, so it sits in front of any TCP server (PostgreSQL, Redis, HTTP).
 *
 * <pre>{@code
 * try (TcpProxy db = TcpProxy.builder().upstream("127.0.0.1", 5432).start()) {
 *     String url = "jdbc:postgresql://127.0.0.1:" + db.port() + "/postgres";
 *     db.latency(Duration.ofMillis(2), Duration.ofNanos(500_000)); // one network hop away
 *     db.stall(true);                                              // a partition: connections hang
 *     db.cutAll();                                                 // a crash: connections reset
 * }
 * }</pre>
 *
 * <p><b>Faults.</b> Each may be changed at any time; a change applies to live connections from their next chunk
 * (what one {@code read} call returns, at most 16 KiB).
 * <ul>
 * <li>{@link #latency(Duration, Duration) latency} is a round trip, applied half in each direction, so a
 *     request/response exchange takes about that much longer, as {@code ping} would report. Jitter varies the
 *     round trip uniformly within latency ± jitter. Bytes are never reordered: a chunk leaves no earlier than the
 *     one before it.
 * <li>{@link #bandwidth(long) bandwidth} caps each direction of each connection separately, like a link per
 *     connection; two connections may move twice as much.
 * <li>{@link #stall(boolean) stall} forwards nothing (data, FIN) while set; connections stay open, new ones are
 *     accepted and connected upstream, then held too. Held data leaves, in order, once un-stalled.
 * <li>{@link #cutAll()} resets every current connection, both towards the client and upstream (RST).
 * <li>{@link #refuseNew(boolean) refuseNew} resets each new connection as soon as it is accepted. The kernel
 *     completes the handshake first, so the client's connect usually succeeds and its first read fails with
 *     "Connection reset"; if the reset wins the race, connect fails with "Connection reset by peer".
 * </ul>
 *
 * <p><b>Threads and cost.</b> Blocking sockets, one platform thread per direction per connection, plus one
 * delay-line writer per direction once a fault first holds data on it. Without faults a chunk is written by the
 * thread that read it, so the proxy costs two extra loopback hops and no hand-off. A delayed chunk's writer parks
 * until shortly before the chunk is due and spins the rest (tens of µs), as a park alone wakes 50–80 µs late.
 *
 * <p><b>Thread safety.</b> All methods may be called from any thread; {@link #close()} is idempotent.
 */
public final class TcpProxy implements AutoCloseable {

    /** No bandwidth cap. */
    public static final long UNCAPPED = 0;

    private static final Logger LOG = LoggerFactory.getLogger(TcpProxy.class);
    private static final InetAddress LOOPBACK = loopback();

    private final InetSocketAddress upstream;
    private final ServerSocket server;
    private final String name;
    private final Thread acceptor;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final Object faultLock = new Object();
    private final AtomicLong connectionIds = new AtomicLong();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder bytesToUpstream = new LongAdder();
    private final LongAdder bytesToClient = new LongAdder();

    private final AtomicBoolean closed = new AtomicBoolean();

    private volatile Faults faults;
    private volatile boolean refusingNew;

    private TcpProxy(InetSocketAddress upstream, ServerSocket server, Faults faults) {
        this.upstream = upstream;
        this.server = server;
        this.faults = faults;
        this.name = "tcp-proxy " + server.getLocalPort() + ">" + upstream.getPort();
        this.acceptor = Thread.ofPlatform().daemon().name(name + " accept").unstarted(this::acceptLoop);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The port the proxy listens on, on 127.0.0.1. */
    public int port() {
        return server.getLocalPort();
    }

    /** The address clients connect to: 127.0.0.1 and {@link #port()}. */
    public InetSocketAddress address() {
        return new InetSocketAddress(LOOPBACK, port());
    }

    /** Where connections are forwarded to. */
    public InetSocketAddress upstream() {
        return upstream;
    }

    /**
     * Adds {@code roundTrip} to every request/response exchange, half in each direction, varied uniformly within
     * ± {@code jitter}. Zero for both removes it.
     *
     * @throws NullPointerException     if either is null
     * @throws IllegalArgumentException if either is negative, roundTrip exceeds 1 min or jitter exceeds roundTrip
     */
    public void latency(Duration roundTrip, Duration jitter) {
        update(f -> f.withLatency(roundTrip, jitter));
    }

    /** {@link #latency(Duration, Duration)} without jitter. */
    public void latency(Duration roundTrip) {
        latency(roundTrip, Duration.ZERO);
    }

    /**
     * Caps each direction of each connection at {@code bytesPerSecond}; {@link #UNCAPPED} removes the cap.
     *
     * @throws IllegalArgumentException if negative
     */
    public void bandwidth(long bytesPerSecond) {
        update(f -> f.withBandwidth(bytesPerSecond));
    }

    /** While true nothing is forwarded in either direction; connections stay open. */
    public void stall(boolean stalled) {
        update(f -> f.withStalled(stalled));
    }

    /** While true each new connection is reset as soon as it is accepted; existing ones carry on. */
    public void refuseNew(boolean refuse) {
        refusingNew = refuse;
    }

    /** Resets every current connection towards both peers; data still held by the proxy is dropped. */
    public void cutAll() {
        for (Connection c : connections) {
            c.abort("cut", null);
        }
    }

    /** Connections accepted and forwarded since start (refused ones not included). */
    public long connectionsAccepted() {
        return accepted.sum();
    }

    /** Connections reset on arrival because {@link #refuseNew(boolean)} was set. */
    public long connectionsRefused() {
        return refused.sum();
    }

    /** Connections open now. */
    public int connectionsActive() {
        return connections.size();
    }

    /** Bytes written to upstream since start, over all connections. */
    public long bytesToUpstream() {
        return bytesToUpstream.sum();
    }

    /** Bytes written to clients since start, over all connections. */
    public long bytesToClient() {
        return bytesToClient.sum();
    }

    /** Stops listening and resets every connection, as {@link #cutAll()} does. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeQuietly(server);
        cutAll();
        try {
            acceptor.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.debug("{}: closed", name);
    }

    @Override
    public String toString() {
        return "TcpProxy[127.0.0.1:" + port() + " -> " + upstream.getHostString() + ":" + upstream.getPort()
                + ", " + faults + (refusingNew ? ", refusing new" : "") + (closed.get() ? ", closed" : "") + "]";
    }

    Faults faults() {
        return faults;
    }

    LongAdder bytesToUpstreamCounter() {
        return bytesToUpstream;
    }

    LongAdder bytesToClientCounter() {
        return bytesToClient;
    }

    void ended(Connection connection) {
        connections.remove(connection);
    }

    private void update(UnaryOperator<Faults> change) {
        synchronized (faultLock) {
            faults = change.apply(faults);
        }
        // Writers parked on a stall or a bandwidth slice re-read the faults now, not at their next timeout.
        for (Connection c : connections) {
            c.wake();
        }
    }

    private void acceptLoop() {
        while (!closed.get()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed.get()) {
                    // Out of file descriptors, typically: back off instead of spinning.
                    LOG.warn("{}: accept failed ({}), retrying in 10 ms", name, e.toString());
                    LockSupport.parkNanos(10_000_000L);
                }
                continue;
            }
            if (refusingNew) {
                refused.increment();
                Connection.reset(client);
                continue;
            }
            accepted.increment();
            String connectionName = name + " #" + connectionIds.incrementAndGet();
            Connection connection = new Connection(this, connectionName, client);
            connections.add(connection);
            if (closed.get()) {
                connection.abort("accept", null); // close() ran its cutAll before this one was registered
                return;
            }
            Thread.ofPlatform().daemon().name(connectionName + " client>upstream").start(connection::run);
        }
    }

    private static void closeQuietly(ServerSocket server) {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                // it never listened
            }
        }
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new AssertionError("four bytes are a valid IPv4 address", e);
        }
    }

    /**
     * Configures and starts a {@link TcpProxy}. Each setter may be called once and checks its argument at once;
     * {@link #start()} requires {@link #upstream(String, int)}. Not thread-safe.
     */
    public static final class Builder {

        private InetSocketAddress upstream;
        private Integer listenPort;
        private Faults faults = Faults.NONE;
        private boolean latencySet;
        private boolean bandwidthSet;

        private Builder() {
        }

        /**
         * The server to forward to, resolved now. It need not be running yet: each connection connects on
         * arrival (10 s timeout), and a client whose upstream cannot be reached is reset.
         *
         * @throws IllegalArgumentException if the port is outside 1..65535 or the host does not resolve
         */
        public Builder upstream(String host, int port) {
            Objects.requireNonNull(host, "upstream host must not be null");
            if (upstream != null) {
                throw new IllegalStateException("upstream was already set to "
                        + upstream.getHostString() + ":" + upstream.getPort());
            }
            if (host.isBlank()) {
                throw new IllegalArgumentException("upstream host must not be blank, was \"" + host + "\"");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("upstream port must be between 1 and 65535, was " + port);
            }
            InetSocketAddress address = new InetSocketAddress(host, port);
            if (address.isUnresolved()) {
                throw new IllegalArgumentException("upstream host must resolve to an address, was \"" + host + "\"");
            }
            upstream = address;
            return this;
        }

        /** Port on 127.0.0.1; 0 (the default) picks any free port, see {@link TcpProxy#port()}. */
        public Builder listenPort(int port) {
            if (listenPort != null) {
                throw new IllegalStateException("listenPort was already set to " + listenPort);
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("listenPort must be between 0 and 65535, was " + port);
            }
            listenPort = port;
            return this;
        }

        /** Latency from the first connection on; see {@link TcpProxy#latency(Duration, Duration)}. Default: none. */
        public Builder latency(Duration roundTrip, Duration jitter) {
            if (latencySet) {
                throw new IllegalStateException("latency was already set to "
                        + Faults.format(Duration.ofNanos(faults.latencyNanos())) + " ± "
                        + Faults.format(Duration.ofNanos(faults.jitterNanos())));
            }
            faults = faults.withLatency(roundTrip, jitter);
            latencySet = true;
            return this;
        }

        /** Bandwidth cap from the first connection on; see {@link TcpProxy#bandwidth(long)}. Default: uncapped. */
        public Builder bandwidth(long bytesPerSecond) {
            if (bandwidthSet) {
                throw new IllegalStateException("bandwidth was already set to " + faults.bytesPerSecond() + " bytes/s");
            }
            faults = faults.withBandwidth(bytesPerSecond);
            bandwidthSet = true;
            return this;
        }

        /**
         * Binds the listener and starts accepting.
         *
         * @throws IllegalStateException if no upstream was set
         * @throws UncheckedIOException  if the listen port cannot be bound
         */
        public TcpProxy start() {
            if (upstream == null) {
                throw new IllegalStateException("upstream must be set before start (upstream(host, port))");
            }
            int port = listenPort == null ? 0 : listenPort;
            ServerSocket server = null;
            try {
                server = new ServerSocket();
                server.setReuseAddress(true);
                server.bind(new InetSocketAddress(LOOPBACK, port), 128);
            } catch (IOException e) {
                closeQuietly(server);
                throw new UncheckedIOException("listenPort " + port + " cannot be bound on 127.0.0.1 (" + e.getMessage()
                        + "); choose another port or 0 for any free one", e);
            }
            TcpProxy proxy = new TcpProxy(upstream, server, faults);
            proxy.acceptor.start();
            LOG.debug("{}: listening on 127.0.0.1:{}, forwarding to {}", proxy.name, proxy.port(), upstream);
            return proxy;
        }
    }
}
