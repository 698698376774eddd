package dev.headroom.infra.proxy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client connection and its upstream connection, forwarded by two {@link Pipe}s.
 *
 * <p><b>Lifecycle.</b> {@link #run()} connects upstream, then pumps client → upstream on its own thread and
 * upstream → client on a second one. A clean end (each side's FIN forwarded) closes both sockets normally. Any
 * failure, {@link TcpProxy#cutAll()} or {@link TcpProxy#close()} aborts: both sockets are reset (linger 0, so the
 * kernel sends RST), which passes a reset by one peer on to the other, as a broken network path would.
 *
 * <p><b>Concurrency.</b> {@code upstream} and the pipes are published under {@code this}' monitor, and
 * {@link #abort} reads them under it, so an abort racing the upstream connect resets whatever exists. A pipe
 * started after an abort sees {@link #isClosed()} at once; its sockets are already closed.
 */
final class Connection {

    private static final Logger LOG = LoggerFactory.getLogger(TcpProxy.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final TcpProxy proxy;
    private final String name;
    private final Socket client;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger halfClosed = new AtomicInteger();

    // guarded by this
    private Socket upstream;
    private Pipe toUpstream;
    private Pipe toClient;

    Connection(TcpProxy proxy, String name, Socket client) {
        this.proxy = proxy;
        this.name = name;
        this.client = client;
    }

    /** Connects upstream and forwards until the connection ends; runs on the connection's own thread. */
    void run() {
        Socket up = new Socket();
        synchronized (this) {
            if (closed.get()) {
                reset(up);
                return;
            }
            upstream = up; // published before connecting, so that an abort also ends a connect that hangs
        }
        try {
            client.setTcpNoDelay(true);
            up.setTcpNoDelay(true);
            up.connect(proxy.upstream(), CONNECT_TIMEOUT_MILLIS);
        } catch (IOException e) {
            if (!closed.get()) {
                LOG.warn("{}: cannot connect to upstream {} ({}); resetting the client", name, proxy.upstream(), e.toString());
            }
            abort("connect", e);
            return;
        }
        Pipe out = new Pipe(name + " client>upstream", this, client, up, proxy.bytesToUpstreamCounter());
        Pipe in = new Pipe(name + " upstream>client", this, up, client, proxy.bytesToClientCounter());
        synchronized (this) {
            toUpstream = out;
            toClient = in;
        }
        Thread.ofPlatform().daemon().name(name + " upstream>client").start(in::pump);
        out.pump();
    }

    Faults faults() {
        return proxy.faults();
    }

    boolean isClosed() {
        return closed.get();
    }

    /** One direction forwarded its end of stream; after both, the connection is done. */
    void halfClosed() {
        if (halfClosed.incrementAndGet() == 2 && closed.compareAndSet(false, true)) {
            Socket up;
            synchronized (this) {
                up = upstream;
            }
            closeQuietly(client);
            closeQuietly(up);
            proxy.ended(this);
            LOG.debug("{}: closed by both peers", name);
        }
    }

    /** Resets both sides; idempotent. {@code where} and {@code cause} only feed the debug log. */
    void abort(String where, Exception cause) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Socket up;
        synchronized (this) {
            up = upstream;
        }
        reset(client);
        if (up != null) {
            reset(up);
        }
        wake();
        proxy.ended(this);
        LOG.debug("{}: reset ({}: {})", name, where, cause == null ? "by the proxy" : cause.toString());
    }

    /** Unparks the pipes' threads, so that they re-read the faults or notice the connection is gone. */
    void wake() {
        Pipe a;
        Pipe b;
        synchronized (this) {
            a = toUpstream;
            b = toClient;
        }
        if (a != null) {
            a.wake();
            b.wake();
        }
    }

    /** Closes with linger 0, so the peer gets an RST instead of a FIN. */
    static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // already closed: nothing left to reset
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing is all we wanted
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
