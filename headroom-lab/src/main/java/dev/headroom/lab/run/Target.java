package dev.headroom.lab.run;

import java.net.URI;
import java.util.ArrayDeque;

/**
 * One origin of a run and the engine's bookkeeping for it: its request encoder (the Host header is the
 * origin's), its idle connections, the requests waiting for one of them, and how many are open. A run
 * over several origins has one of these per origin, each with the run's number of connections; a
 * request goes out only on a connection of its own target, so a journey stays where it started.
 *
 * <p>Fields are the engine's, read and written on its event-loop thread only (the send path reads
 * {@link #idle} and {@link #encoder} on every dispatch, hence plain fields).
 */
final class Target {
    final URI uri;
    final String host;
    final int port;
    final RequestEncoder encoder;
    final ArrayDeque<Conn> idle = new ArrayDeque<>();
    final ArrayDeque<Job> waiting = new ArrayDeque<>();
    /** Connections opened over the run, reconnections included. */
    int opened;
    /** Connections open now. */
    int live;
    boolean lastConnectFailed;

    /** {@code fixed}: the request every arrival sends, encoded once, or null. */
    Target(URI uri, RequestSpec fixed, Connector connector) {
        this.uri = uri;
        this.host = uri.getHost();
        this.port = uri.getPort() == -1 ? 80 : uri.getPort();
        this.encoder = new RequestEncoder(host, port, uri.getPort() == -1, fixed, connector);
    }
}
